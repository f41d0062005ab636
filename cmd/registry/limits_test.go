package main

import (
	"testing"

	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/schema"
)

func TestLimitFlagsReachTheConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		want     func(l *schema.Limits)
		parallel int
	}{
		{name: "DefaultsAreTheSchemaDefaults", want: func(*schema.Limits) {}},
		{
			name: "FlagsAndEnvironment",
			args: []string{"--max-schema-depth", "64", "--max-schema-references", "10", "--max-concurrent-parses", "3"},
			env:  map[string]string{"REGISTRY_MAX_SCHEMA_BYTES": "2048", "REGISTRY_MAX_SCHEMA_FIELDS": "500"},
			want: func(l *schema.Limits) {
				l.MaxDepth, l.MaxReferences, l.MaxTextBytes, l.MaxFields = 64, 10, 2048, 500
			},
			parallel: 3,
		},
		{
			name: "EveryCount",
			args: []string{"--max-schema-definitions", "7", "--max-schema-enum-symbols", "8"},
			want: func(l *schema.Limits) { l.MaxDefinitions, l.MaxEnumSymbols = 7, 8 },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := startConfig(t, tt.args, tt.env, "")
			want := schema.DefaultLimits()
			tt.want(&want)
			if got.Limits != want || got.MaxConcurrentParses != tt.parallel {
				t.Errorf("limits %+v, %d concurrent parses; want %+v, %d", got.Limits, got.MaxConcurrentParses, want, tt.parallel)
			}
		})
	}
}

func TestCacheBytesReachesTheConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		env  map[string]string
		file string
		want int64
	}{
		{name: "Default", want: server.DefaultCacheBytes},
		{name: "Flag", args: []string{"--cache-bytes", "67108864"}, want: 64 << 20},
		{name: "Environment", env: map[string]string{"REGISTRY_CACHE_BYTES": "33554432"}, want: 32 << 20},
		{name: "File", file: "cache-bytes: 16777216\n", want: 16 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := startConfig(t, tt.args, tt.env, tt.file)
			if got.CacheBytes != tt.want {
				t.Errorf("CacheBytes = %d, want %d", got.CacheBytes, tt.want)
			}
		})
	}
}
