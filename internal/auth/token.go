package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
)

// TokenPrefix starts every API token secret, so a leaked one is easy to
// recognise (and to scan for) and a basic-auth password is never mistaken
// for a token.
const TokenPrefix = "sch_"

// tokenBytes is the entropy of a token secret: 256 bits.
const tokenBytes = 32

// newSecret returns a fresh token secret and its public id.
func newSecret() (secret, id string, err error) {
	b := make([]byte, tokenBytes+8)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("auth: random token: %w", err)
	}
	secret = TokenPrefix + base64.RawURLEncoding.EncodeToString(b[:tokenBytes])
	id = hex.EncodeToString(b[tokenBytes:])
	return secret, id, nil
}

// HashToken returns the hex SHA-256 of a token secret: the only form in
// which a token is stored. A fast hash is right here (unlike passwords):
// the secret has 256 bits of entropy, so it cannot be guessed from its
// hash.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// looksLikeToken reports whether s has the shape of a token secret.
func looksLikeToken(s string) bool {
	rest, ok := strings.CutPrefix(s, TokenPrefix)
	return ok && len(rest) == base64.RawURLEncoding.EncodedLen(tokenBytes)
}
