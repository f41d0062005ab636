// Package authhttp puts the auth model in front of the registry's HTTP
// API: an echo middleware that authenticates each request (basic
// credentials, bearer API tokens, verified client certificates, or
// anonymous access when configured) and authorizes it by route template,
// method and subject; the admin API that manages tokens and database
// users; and the server's TLS configuration (TLS 1.2 or later, optional
// client certificates).
//
// Refusals use Confluent-style bodies: 401 with error_code 40101 when the
// caller is not authenticated, 403 with 40301 when it is but lacks the
// role.
//
// authhttp depends on auth, audit (to name the token a request created)
// and echo. It must not import the
// registry domain, the api package or any storage implementation: the
// routes it knows are data (Rules).
package authhttp
