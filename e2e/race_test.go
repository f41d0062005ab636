//go:build race

package e2e

// The registry binary is built with the race detector when the tests are.
func init() { raceEnabled = true }
