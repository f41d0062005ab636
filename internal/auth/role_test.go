package auth

import (
	"context"
	"testing"
)

func TestParseGrant(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    Grant
		wantErr bool
	}{
		{in: "reader:*", want: Grant{Role: Reader, Pattern: "*"}},
		{in: "writer:payments.*", want: Grant{Role: Writer, Pattern: "payments.*"}},
		{in: "ADMIN:orders-value", want: Grant{Role: Admin, Pattern: "orders-value"}},
		{in: "writer", wantErr: true},
		{in: "owner:*", wantErr: true},
		{in: "reader:", wantErr: true},
		{in: "reader:pay*ments", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseGrant(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseGrant(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParseGrant(%q) = %v, want %v", tt.in, got, tt.want)
			}
			if err == nil {
				var round Grant
				if err := round.UnmarshalText([]byte(got.String())); err != nil || round != got {
					t.Errorf("text round trip of %v = %v, %v", got, round, err)
				}
			}
		})
	}
}

func TestPrincipalAllows(t *testing.T) {
	t.Parallel()
	payments := &Principal{Name: "payments", Grants: []Grant{
		{Role: Writer, Pattern: "payments.*"}, {Role: Reader, Pattern: "*"}, {Role: Admin, Pattern: "orders-value"},
	}}
	admin := &Principal{Name: "root", Grants: []Grant{{Role: Admin, Pattern: "*"}}}
	tests := []struct {
		name   string
		p      *Principal
		role   Role
		scope  Scope
		target string
		want   bool
	}{
		{"ReaderEverywhere", payments, Reader, ScopeSubject, "inventory-value", true},
		{"WriterOnOwnPrefix", payments, Writer, ScopeSubject, "payments.refunds-value", true},
		{"NoWriterElsewhere", payments, Writer, ScopeSubject, "inventory-value", false},
		{"ExactGrantMatchesOnlyThatSubject", payments, Admin, ScopeSubject, "orders-value", true},
		{"ExactGrantIsNotAPrefix", payments, Admin, ScopeSubject, "orders-value2", false},
		{"PrefixCoveredByGrant", payments, Writer, ScopePrefix, "payments.eu", true},
		{"PrefixWiderThanGrant", payments, Writer, ScopePrefix, "pay", false},
		{"GlobalReader", payments, Reader, ScopeGlobal, "", true},
		{"NotGlobalWriter", payments, Writer, ScopeGlobal, "", false},
		{"AnyAdminGrant", payments, Admin, ScopeAny, "", true},
		{"GlobalAdmin", admin, Admin, ScopeGlobal, "", true},
		{"AdminIncludesReader", admin, Reader, ScopeSubject, "x", true},
		{"NilPrincipal", nil, Reader, ScopeAny, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.p.Allows(tt.role, tt.scope, tt.target); got != tt.want {
				t.Errorf("Allows(%v, %v, %q) = %v, want %v", tt.role, tt.scope, tt.target, got, tt.want)
			}
		})
	}
}

func TestPrincipalContext(t *testing.T) {
	t.Parallel()
	if _, ok := FromContext(context.Background()); ok {
		t.Fatal("empty context carries a principal")
	}
	p := &Principal{Name: "x"}
	got, ok := FromContext(WithPrincipal(context.Background(), p))
	if !ok || got != p {
		t.Fatalf("FromContext = %v, %v; want %v", got, ok, p)
	}
}
