package memtest_test

import (
	"testing"

	"github.com/schemata-dev/schemata/internal/memtest"
)

var sink []byte

func TestAllocatedCountsWhatFAllocates(t *testing.T) {
	n := memtest.Allocated(func() { sink = make([]byte, 8<<20) })
	if n < 8<<20 {
		t.Fatalf("Allocated = %d bytes, want at least the 8 MiB f allocated", n)
	}
}
