// Package auth is the registry's identity and access model: principals,
// the roles reader, writer and admin granted per subject pattern, users
// with bcrypt password hashes, and API tokens that are random secrets
// stored only as SHA-256 hashes.
//
// It answers two questions, both without any knowledge of HTTP: who is
// this (Authenticator: basic credentials, bearer tokens, client
// certificates, anonymous access) and may they do this (Principal.Allows).
// The echo middleware, the admin API and TLS live in auth/authhttp.
//
// auth depends on the standard library, golang.org/x/crypto and the YAML
// decoder only. It must not import the registry domain, the HTTP layer or
// any storage implementation; storage packages implement its Store.
package auth
