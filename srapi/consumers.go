package srapi

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Consumer is a registered downstream consumer: the body of
// POST /v1/consumers and PUT /v1/consumers/{name} (and, optionally, of
// POST /v1/consumers/{name}/backfill, as a candidate definition), and the
// answer of those and of GET /v1/consumers[/{name}].
type Consumer struct {
	Name   string            `json:"name"`
	Owner  string            `json:"owner"`
	Labels map[string]string `json:"labels,omitempty"`
	Reads  []ConsumerRead    `json:"reads"`
	// CreatedAt and UpdatedAt are set by the registry in answers.
	CreatedAt *time.Time `json:"createdAt,omitempty"`
	UpdatedAt *time.Time `json:"updatedAt,omitempty"`
}

// ConsumerRead is what a consumer reads from one subject: a reader schema
// (Schema, SchemaType, References, Message) or Fields, and a backfill
// window such as "90d" or "36h".
type ConsumerRead struct {
	Subject    string      `json:"subject"`
	SchemaType string      `json:"schemaType,omitempty"`
	Schema     string      `json:"schema,omitempty"`
	References []Reference `json:"references,omitempty"`
	// Message is the full name of the Protobuf message decoded (or that
	// Fields are relative to).
	Message string `json:"message,omitempty"`
	// Fields are the schema paths of the fields the consumer uses.
	Fields   []string `json:"fields,omitempty"`
	Backfill string   `json:"backfill,omitempty"`
}

// Backfill answers GET and POST /v1/consumers/{name}/backfill: can the
// consumer re-read every writer version within its backfill window?
type Backfill struct {
	Consumer   string            `json:"consumer"`
	Owner      string            `json:"owner"`
	Compatible bool              `json:"compatible"`
	Subjects   []BackfillSubject `json:"subjects"`
}

// BackfillSubject is the backfill check of one subject read: the writer
// versions registered since Since and what breaks the reader. In its
// findings the reader is the "old" side.
type BackfillSubject struct {
	Subject  string            `json:"subject"`
	Window   string            `json:"window"`
	Since    time.Time         `json:"since"`
	Versions []BackfillVersion `json:"versions"`
	Findings []Finding         `json:"findings"`
	// Truncated counts the findings left out to keep the answer bounded
	// (errors are kept first, so Compatible is exact); omitted when none.
	Truncated int `json:"truncated,omitempty"`
}

// BackfillVersion is one writer version within a backfill window,
// soft-deleted ones included.
type BackfillVersion struct {
	Version      int       `json:"version"`
	ID           int       `json:"id"`
	Deleted      bool      `json:"deleted"`
	RegisteredAt time.Time `json:"registeredAt"`
}

// Deprecation is a deprecation record: the body of POST /v1/deprecations
// and PUT /v1/deprecations/{id}, and the answer of those and of
// GET /v1/deprecations[/{id}]. It deprecates a field (Path), a version
// (Version) or, with neither, a whole subject. Sunset is accepted as a
// date (2026-06-01) or an RFC 3339 time and answered in RFC 3339; Since
// is when the deprecation was recorded.
type Deprecation struct {
	ID          int        `json:"id,omitempty"`
	Subject     string     `json:"subject"`
	Path        string     `json:"path,omitempty"`
	Version     int        `json:"version,omitempty"`
	Scope       string     `json:"scope,omitempty"`
	Reason      string     `json:"reason,omitempty"`
	Sunset      string     `json:"sunset,omitempty"`
	Replacement string     `json:"replacement,omitempty"`
	Since       *time.Time `json:"since,omitempty"`
}

// DeprecationReport answers GET /v1/reports/deprecations: every
// deprecated element still present and who still depends on it.
type DeprecationReport struct {
	GeneratedAt time.Time    `json:"generatedAt"`
	UsageDays   int          `json:"usageDays"`
	Items       []ReportItem `json:"items"`
}

// ReportItem is one deprecated element of a DeprecationReport. DaysLeft
// is negative once RemovableFrom (the sunset, or Since plus the minimum
// deprecation period) has passed; Status is "deprecated", "overdue"
// (passed, still read) or "removable" (passed, no consumer reads it).
type ReportItem struct {
	Subject       string     `json:"subject"`
	Path          string     `json:"path,omitempty"`
	Version       int        `json:"version,omitempty"`
	Kind          string     `json:"kind"`
	Source        string     `json:"source"`
	RecordID      int        `json:"recordId,omitempty"`
	Reason        string     `json:"reason,omitempty"`
	Replacement   string     `json:"replacement,omitempty"`
	Since         time.Time  `json:"since"`
	Sunset        *time.Time `json:"sunset,omitempty"`
	RemovableFrom time.Time  `json:"removableFrom"`
	DaysLeft      int        `json:"daysLeft"`
	Overdue       bool       `json:"overdue"`
	Status        string     `json:"status"`
	// Consumers are the registered consumers still reading the element.
	Consumers []ReportConsumer `json:"consumers"`
	// Clients are the runtime clients that fetched a schema containing
	// the element within the report's usage window.
	Clients []ReportClient `json:"clients"`
}

// ReportConsumer is a registered consumer named by a ReportItem.
type ReportConsumer struct {
	Name  string `json:"name"`
	Owner string `json:"owner"`
}

// ReportClient is a runtime client named by a ReportItem.
type ReportClient struct {
	Identity  string    `json:"identity"`
	Count     int64     `json:"count"`
	LastSeen  time.Time `json:"lastSeen"`
	SchemaIDs []int     `json:"schemaIds"`
}

// ParseBackfill parses a backfill window (ConsumerRead.Backfill): a
// number of days ("90d"), a Go duration ("36h", "90m"), or "" for none.
func ParseBackfill(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	bad := fmt.Errorf("invalid backfill window %q: want a number of days such as 90d, or a duration such as 36h", s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 {
			return 0, bad
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, bad
	}
	return d, nil
}
