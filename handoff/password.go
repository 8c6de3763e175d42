package handoff

import (
	"fmt"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// Password limits. bcrypt reads at most 72 bytes, so a longer password is
// refused rather than silently cut.
const (
	// MinPasswordLen is the fewest characters a password may have.
	MinPasswordLen = 10
	// MaxPasswordBytes is the most bytes a password may have.
	MaxPasswordBytes = 72
)

// checkPassword says why a password is not acceptable, without repeating
// it or its length.
func checkPassword(password string) error {
	if utf8.RuneCountInString(password) < MinPasswordLen {
		return fmt.Errorf("password shorter than %d characters: %w", MinPasswordLen, ErrInvalid)
	}
	if len(password) > MaxPasswordBytes {
		return fmt.Errorf("password longer than %d bytes: %w", MaxPasswordBytes, ErrInvalid)
	}
	return nil
}

// hashPassword checks the password and returns its bcrypt hash at cost.
func hashPassword(password string, cost int) ([]byte, error) {
	if err := checkPassword(password); err != nil {
		return nil, err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	return h, nil
}

// passwordMatches reports whether password is the one hashed; bcrypt
// compares in constant time.
func passwordMatches(hash []byte, password string) bool {
	return bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil
}

// dummyPassword is hashed once per Accounts, so a sign-in with an unknown
// name spends as long in bcrypt as one with a wrong password.
const dummyPassword = "no account has this password"
