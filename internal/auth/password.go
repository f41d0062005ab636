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
	return hashPassword(password, PasswordCost)
}

func hashPassword(password string, cost int) (string, error) {
	if password == "" {
		return "", errors.New("auth: empty password")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), cost)
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

// dummyHasher returns a function making, once, a hash of cost to compare
// against when a user does not exist, so that a failed login costs the
// same whether or not the name is known.
func dummyHasher(cost int) func() []byte {
	return sync.OnceValue(func() []byte {
		h, err := bcrypt.GenerateFromPassword([]byte("schemata-no-such-user"), cost)
		if err != nil {
			panic(err) // only for a password over 72 bytes
		}
		return h
	})
}

// checkPassword reports whether password matches hash; with an empty hash
// it compares against dummy and reports false.
func checkPassword(hash, password string, dummy func() []byte) bool {
	if hash == "" {
		_ = bcrypt.CompareHashAndPassword(dummy(), []byte(password))
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}

// hashCost returns the cost of a bcrypt hash, 0 when it is not one.
func hashCost(h string) int {
	c, err := bcrypt.Cost([]byte(h))
	if err != nil {
		return 0
	}
	return c
}
