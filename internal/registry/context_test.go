package registry_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/schemata-dev/schemata/internal/registry"
)

func TestCanonicalSubject(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want, context string
		allowContext      bool
		bad               bool
	}{
		{in: "orders", want: "orders", context: "."},
		{in: ":.:orders", want: "orders", context: "."},
		{in: ":.ctx:orders", want: ":.ctx:orders", context: ".ctx"},
		{in: ":.a:x:y", want: ":.a:x:y", context: ".a"},
		{in: ":.a.b-c_D9:x", want: ":.a.b-c_D9:x", context: ".a.b-c_D9"},
		{in: ":.ctx:", allowContext: true, want: ":.ctx:", context: ".ctx"},
		{in: ":.ctx:", bad: true},
		{in: ":.ctx", bad: true},
		{in: ":ctx:orders", bad: true},
		{in: ":.bad ctx:orders", bad: true},
		{in: ":.bad/ctx:orders", bad: true},
		{in: ":.é:orders", bad: true},
		{in: ":" + "." + strings.Repeat("a", 256) + ":x", bad: true},
		{in: "", bad: true},
		{in: "a\x00b", bad: true},
	} {
		got, err := registry.CanonicalSubject(tc.in, tc.allowContext)
		if tc.bad {
			if !errors.Is(err, registry.ErrInvalidSubject) {
				t.Errorf("CanonicalSubject(%q) = %q, %v; want 42208", tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want || registry.ContextOf(got) != tc.context {
			t.Errorf("CanonicalSubject(%q) = %q (context %q), %v; want %q in %q", tc.in, got, registry.ContextOf(got), err, tc.want, tc.context)
		}
	}
}

func TestReferenceTarget(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ context, ref, want string }{
		{".", "address", "address"},
		{".ctx", "address", ":.ctx:address"},
		{".ctx", ":.other:address", ":.other:address"},
		{".ctx", ":.:address", "address"},
	} {
		if got := registry.ReferenceTarget(tc.context, tc.ref); got != tc.want {
			t.Errorf("ReferenceTarget(%q, %q) = %q, want %q", tc.context, tc.ref, got, tc.want)
		}
	}
}

// FuzzCanonicalSubject: whatever the input, a subject either is refused
// with 42208 or comes back valid, in a valid context, stable under a
// second pass, and splitting then qualifying gives it back.
func FuzzCanonicalSubject(f *testing.F) {
	for _, s := range []string{"orders", ":.:orders", ":.ctx:orders", ":.ctx:", ":ctx:x", ":.a:b:c", ":", "::", ":.:"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, in string, allowContext bool) {
		got, err := registry.CanonicalSubject(in, allowContext)
		if err != nil {
			if !errors.Is(err, registry.ErrInvalidSubject) {
				t.Fatalf("CanonicalSubject(%q): %v, want 42208", in, err)
			}
			return
		}
		if !utf8.ValidString(got) || got == "" && (!allowContext || in != ":.:") {
			t.Fatalf("CanonicalSubject(%q) = %q", in, got)
		}
		if got == "" {
			return // the default context itself: the global resource
		}
		again, err := registry.CanonicalSubject(got, allowContext)
		if err != nil || again != got {
			t.Fatalf("CanonicalSubject not stable: %q -> %q -> %q, %v", in, got, again, err)
		}
		c, name := registry.SplitSubject(got)
		if err := registry.ValidateContext(c); err != nil {
			t.Fatalf("CanonicalSubject(%q) = %q in invalid context %q", in, got, c)
		}
		if q := registry.QualifySubject(c, name); q != got {
			t.Fatalf("QualifySubject(SplitSubject(%q)) = %q", got, q)
		}
	})
}
