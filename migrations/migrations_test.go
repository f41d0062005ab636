package migrations_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/schemata-dev/schemata/migrations"
	"github.com/schemata-dev/schemata/storage/postgres/pgtest"
)

// initTables are the tables 00001_init.sql creates; later migrations
// add more.
var initTables = []string{"configs", "modes", "schema_references", "schemas", "subject_versions"}

type database struct {
	dialect migrations.Dialect
	open    func(t *testing.T) *sql.DB
	// tables lists the registry's tables that exist, sorted.
	tables string
}

var databases = []database{
	{
		dialect: migrations.Postgres,
		open: func(t *testing.T) *sql.DB {
			db := stdlib.OpenDBFromPool(pgtest.NewEmptyPool(t))
			t.Cleanup(func() { db.Close() })
			return db
		},
		tables: `SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_name <> 'goose_db_version' ORDER BY 1`,
	},
	{
		dialect: migrations.SQLite,
		open: func(t *testing.T) *sql.DB {
			db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "m.db")+"?_pragma=foreign_keys(1)")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		},
		tables: `SELECT name FROM sqlite_schema
			WHERE type = 'table' AND name NOT IN ('goose_db_version', 'sqlite_sequence') ORDER BY 1`,
	},
}

// forEachDatabase runs f in parallel subtests, one per dialect, each on
// an empty database of its own.
func forEachDatabase(t *testing.T, f func(t *testing.T, d database, db *sql.DB)) {
	t.Helper()
	for _, d := range databases {
		t.Run(string(d.dialect), func(t *testing.T) {
			t.Parallel()
			f(t, d, d.open(t))
		})
	}
}

func TestUpDownUp(t *testing.T) {
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, d database, db *sql.DB) {
		ctx := t.Context()

		st, err := migrations.Status(ctx, db, d.dialect)
		mustOK(t, "Status", err)
		if len(st) == 0 || st[0].Version != 1 || st[0].Name != "00001_init.sql" || st[0].Applied {
			t.Fatalf("Status of an empty database = %+v, want 00001_init.sql pending first", st)
		}

		if err := migrations.RequireApplied(ctx, db, d.dialect); err == nil {
			t.Error("RequireApplied on an empty database: nil, want an error")
		}

		up, err := migrations.Up(ctx, db, d.dialect)
		mustOK(t, "Up", err)
		mustOK(t, "RequireApplied after Up", migrations.RequireApplied(ctx, db, d.dialect))
		if len(up) != len(st) || up[0].Direction != "up" {
			t.Errorf("Up applied %+v, want all %d migrations", up, len(st))
		}
		all := tables(t, db, d.tables)
		for _, name := range initTables {
			if !slices.Contains(all, name) {
				t.Errorf("after Up, table %s is missing (tables: %v)", name, all)
			}
		}
		again, err := migrations.Up(ctx, db, d.dialect)
		mustOK(t, "second Up", err)
		if len(again) != 0 {
			t.Errorf("second Up applied %+v, want nothing", again)
		}
		st, err = migrations.Status(ctx, db, d.dialect)
		mustOK(t, "Status", err)
		for _, m := range st {
			if !m.Applied || m.AppliedAt.IsZero() {
				t.Errorf("after Up, %s: applied=%v at %v", m.Name, m.Applied, m.AppliedAt)
			}
		}

		down, err := migrations.DownTo(ctx, db, d.dialect, 0)
		mustOK(t, "DownTo(0)", err)
		if len(down) != len(st) || down[0].Direction != "down" {
			t.Errorf("DownTo(0) rolled back %+v, want all %d migrations", down, len(st))
		}
		if left := tables(t, db, d.tables); len(left) != 0 {
			t.Errorf("after DownTo(0), tables %v remain", left)
		}
		if _, err := migrations.Down(ctx, db, d.dialect); !errors.Is(err, migrations.ErrNoNextVersion) {
			t.Errorf("Down with nothing applied: err = %v, want ErrNoNextVersion", err)
		}

		_, err = migrations.Up(ctx, db, d.dialect)
		mustOK(t, "Up after Down", err)
		if again := tables(t, db, d.tables); !slices.Equal(again, all) {
			t.Errorf("tables after up, down, up = %v, want %v", again, all)
		}
		last, err := migrations.Down(ctx, db, d.dialect)
		mustOK(t, "Down", err)
		if last.Version != st[len(st)-1].Version {
			t.Errorf("Down rolled back version %d, want the latest, %d", last.Version, st[len(st)-1].Version)
		}
	})
}

// TestConcurrentUpMigratesOnce starts several migrations of one
// PostgreSQL schema at once, as several registry processes starting
// together would: the session lock lets one migrate and the others find
// nothing to do.
func TestConcurrentUpMigratesOnce(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewEmptyPool(t, pgtest.WithMaxConns(8))
	ctx := t.Context()
	const starters = 4
	applied := make([]int, starters)
	errs := make([]error, starters)
	var wg sync.WaitGroup
	for i := range starters {
		wg.Go(func() {
			db := stdlib.OpenDBFromPool(pool)
			defer db.Close()
			res, err := migrations.Up(ctx, db, migrations.Postgres)
			applied[i], errs[i] = len(res), err
		})
	}
	wg.Wait()
	for _, err := range errs {
		mustOK(t, "concurrent Up", err)
	}
	slices.Sort(applied)
	if applied[starters-1] == 0 || slices.Max(applied[:starters-1]) != 0 {
		t.Errorf("migrations applied per starter = %v, want one starter applying them all", applied)
	}
	var rows int
	err := pool.QueryRow(ctx, `SELECT count(*) FROM goose_db_version WHERE version_id > 0`).Scan(&rows)
	mustOK(t, "count versions", err)
	if rows != applied[starters-1] {
		t.Errorf("goose_db_version holds %d applied versions, want %d", rows, applied[starters-1])
	}
}

func TestUnknownDialect(t *testing.T) {
	t.Parallel()
	db, err := sql.Open("sqlite", ":memory:")
	mustOK(t, "open", err)
	defer db.Close()
	if _, err := migrations.Up(context.Background(), db, "oracle"); err == nil {
		t.Error("Up with an unknown dialect succeeded")
	}
}

// tables runs query, which lists table names.
func tables(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), query)
	mustOK(t, "list tables", err)
	defer rows.Close()
	var got []string
	for rows.Next() {
		var name string
		mustOK(t, "scan", rows.Scan(&name))
		got = append(got, name)
	}
	mustOK(t, "list tables", rows.Err())
	return got
}

func mustOK(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// TestUsageGainsContexts runs 00007 over usage recorded before it: the
// rows become the default context's, the same id and identity can then
// be recorded in another context, and going back keeps the default
// context's rows only.
func TestUsageGainsContexts(t *testing.T) {
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, d database, db *sql.DB) {
		ctx := t.Context()
		_, err := migrations.Up(ctx, db, d.dialect)
		mustOK(t, "Up", err)
		_, err = migrations.DownTo(ctx, db, d.dialect, 6)
		mustOK(t, "DownTo(6)", err)
		_, err = db.ExecContext(ctx, `INSERT INTO schema_usage (schema_id, identity, count, first_seen, last_seen)
		VALUES (3, 'client:a', 2, '2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z')`)
		mustOK(t, "insert usage before 00007", err)

		_, err = migrations.Up(ctx, db, d.dialect)
		mustOK(t, "Up to 00007", err)
		_, err = db.ExecContext(ctx, `INSERT INTO schema_usage (context, schema_id, identity, count, first_seen, last_seen)
		VALUES ('.ctx', 3, 'client:a', 5, '2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z')`)
		mustOK(t, "insert the same id and identity in another context", err)
		if got := usageRows(t, db, `SELECT context, schema_id, identity, count FROM schema_usage ORDER BY context`); !slices.Equal(got, []string{".|3|client:a|2", ".ctx|3|client:a|5"}) {
			t.Errorf("usage after 00007 = %v, want the old row in the default context and the new one apart", got)
		}

		_, err = migrations.DownTo(ctx, db, d.dialect, 6)
		mustOK(t, "DownTo(6) again", err)
		if got := usageRows(t, db, `SELECT '.', schema_id, identity, count FROM schema_usage`); !slices.Equal(got, []string{".|3|client:a|2"}) {
			t.Errorf("usage after going back = %v, want the default context's row only", got)
		}
	})
}

// usageRows renders the rows of a query of (context, id, identity, count).
func usageRows(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), q)
	mustOK(t, "query usage", err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var sc, who string
		var id, n int64
		mustOK(t, "scan usage", rows.Scan(&sc, &id, &who, &n))
		out = append(out, fmt.Sprintf("%s|%d|%s|%d", sc, id, who, n))
	}
	mustOK(t, "read usage", rows.Err())
	return out
}
