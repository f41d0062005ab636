package auth

import (
	"errors"
	"fmt"
	"sync"

	"golang.org/x/crypto/bcrypt"
)

// PasswordCost is the bcrypt cost of hashes made by HashPassword. Hashes of
// any cost verify.
const PasswordCost = 12

// HashPassword returns the bcrypt hash of password, the form stored in the
// configuration file and the database. Passwords longer than 72 bytes are
// refused rather than silently truncated.
func HashPassword(password string) (string, error) {
	if password == "" {
		return "", errors.New("auth: empty password")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), PasswordCost)
	if err != nil {
		return "", fmt.Errorf("auth: hash password: %w", err)
	}
	return string(h), nil
}

// validHash reports whether h looks like a bcrypt hash, so that a
// configuration mistake (a plain password in passwordHash) fails at start.
func validHash(h string) error {
	if _, err := bcrypt.Cost([]byte(h)); err != nil {
		return fmt.Errorf("not a bcrypt hash: %w", err)
	}
	return nil
}

// dummyHash is compared against when a user does not exist, so a failed
// login costs the same whether or not the name is known.
// It is made on first use, not at program start.
var dummyHash = sync.OnceValue(func() []byte {
	h, err := bcrypt.GenerateFromPassword([]byte("schemata-no-such-user"), PasswordCost)
	if err != nil {
		panic(err) // only for a password over 72 bytes
	}
	return h
})

// checkPassword reports whether password matches hash; with an empty hash
// it compares against dummyHash and reports false.
func checkPassword(hash, password string) bool {
	if hash == "" {
		_ = bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}
