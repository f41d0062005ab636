package authtest_test

import (
	"testing"

	"github.com/schemata-dev/schemata/internal/auth"
	"github.com/schemata-dev/schemata/internal/auth/authtest"
)

func TestMemoryStore(t *testing.T) {
	t.Parallel()
	authtest.RunStoreTests(t, func(*testing.T) auth.Store { return authtest.NewMemoryStore() })
}
