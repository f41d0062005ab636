package main

import (
	"testing"

	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/schema"
)

// TestResourceFlagsReachTheConfig: the bounds on schemas, parses and the
// cache reach the server's config from flags, the environment and the
// config file.
func TestResourceFlagsReachTheConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		env  map[string]string
		file string
		want func(c *server.Config)
	}{
		{name: "DefaultsAreTheSchemaDefaults", want: func(*server.Config) {}},
		{
			name: "LimitFlagsAndEnvironment",
			args: []string{"--max-schema-depth", "64", "--max-schema-references", "10", "--max-concurrent-parses", "3"},
			env:  map[string]string{"REGISTRY_MAX_SCHEMA_BYTES": "2048", "REGISTRY_MAX_SCHEMA_FIELDS": "500"},
			want: func(c *server.Config) {
				c.Limits.MaxDepth, c.Limits.MaxReferences, c.Limits.MaxTextBytes, c.Limits.MaxFields = 64, 10, 2048, 500
				c.MaxConcurrentParses = 3
			},
		},
		{
			name: "EveryCount",
			args: []string{"--max-schema-definitions", "7", "--max-schema-enum-symbols", "8"},
			want: func(c *server.Config) { c.Limits.MaxDefinitions, c.Limits.MaxEnumSymbols = 7, 8 },
		},
		{name: "CacheBytesFlag", args: []string{"--cache-bytes", "67108864"}, want: func(c *server.Config) { c.CacheBytes = 64 << 20 }},
		{name: "CacheBytesEnvironment", env: map[string]string{"REGISTRY_CACHE_BYTES": "33554432"}, want: func(c *server.Config) { c.CacheBytes = 32 << 20 }},
		{name: "CacheBytesFile", file: "cache-bytes: 16777216\n", want: func(c *server.Config) { c.CacheBytes = 16 << 20 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := startConfig(t, tt.args, tt.env, tt.file)
			want := server.Config{Limits: schema.DefaultLimits(), CacheBytes: server.DefaultCacheBytes}
			tt.want(&want)
			if got.Limits != want.Limits || got.MaxConcurrentParses != want.MaxConcurrentParses || got.CacheBytes != want.CacheBytes {
				t.Errorf("limits %+v, %d concurrent parses, %d cache bytes; want %+v, %d, %d",
					got.Limits, got.MaxConcurrentParses, got.CacheBytes, want.Limits, want.MaxConcurrentParses, want.CacheBytes)
			}
		})
	}
}
