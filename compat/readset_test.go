package compat

import (
	"slices"
	"testing"
)

// TestReadSetMatchesPathsOverlap checks the index behind ReadsIn against
// the pairwise definition it replaces: a path is read when it overlaps
// (PathsOverlap) one of the paths read.
func TestReadSetMatchesPathsOverlap(t *testing.T) {
	t.Parallel()
	queries := []string{
		"Order", "Order.customer", "Order.customer.email", "Order.customerId", "Order.items",
		"Order.items[]", "Order.items[].sku", "Order.tags{}", "Order.tags{}.x", "Order.pay<Card>",
		"Order.pay<Card>.number", "Order.pay", "Other", "/properties/a", "/properties/a/properties/b",
		"/properties/ab", "/properties", "Ord", "Order.items[].skus",
	}
	for _, tt := range []struct {
		name string
		read []string
	}{
		{"Nothing", nil},
		{"OneField", []string{"Order.customer"}},
		{"Nested", []string{"Order.customer.email", "Order.items[].sku"}},
		{"MapAndUnion", []string{"Order.tags{}", "Order.pay<Card>.number"}},
		{"Record", []string{"Order"}},
		{"Pointers", []string{"/properties/a/properties/b"}},
		{"Mixed", []string{"Order.items", "/properties/ab", "Other"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			set := newReadSet(pathBounds)
			for _, p := range tt.read {
				set.add(p)
			}
			for _, q := range queries {
				want := slices.ContainsFunc(tt.read, func(p string) bool { return PathsOverlap(p, q) })
				if got := set.reads(q); got != want {
					t.Errorf("reads(%q) = %v, want %v (reading %v)", q, got, want, tt.read)
				}
			}
		})
	}
}
