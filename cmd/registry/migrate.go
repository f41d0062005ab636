package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/migrations"
)

// newMigrateCommand builds "registry migrate up|down|status", which run
// the database migrations of the store the flags select.
func newMigrateCommand(cfg *server.Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Manage the database schema (up, down, status)",
		Long: "migrate applies, rolls back or lists the registry's database migrations\n" +
			"on PostgreSQL (--database-url) or the embedded store (--data-dir).\n" +
			"The server migrates up at start unless --skip-migrations is given.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	withDB := func(fn func(ctx context.Context, out io.Writer, d migrationTarget) error) func(*cobra.Command, []string) error {
		return func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			db, dialect, err := server.MigrationDB(ctx, *cfg)
			if err != nil {
				return err
			}
			defer db.Close()
			return fn(ctx, cmd.OutOrStdout(), migrationTarget{db: db, dialect: dialect})
		}
	}
	cmd.AddCommand(
		&cobra.Command{
			Use:   "up",
			Short: "Apply every pending migration",
			Args:  cobra.NoArgs,
			RunE:  withDB(migrateUp),
		},
		&cobra.Command{
			Use:   "down",
			Short: "Roll back the most recent migration",
			Args:  cobra.NoArgs,
			RunE:  withDB(migrateDown),
		},
		&cobra.Command{
			Use:   "status",
			Short: "List migrations and whether each is applied",
			Args:  cobra.NoArgs,
			RunE:  withDB(migrateStatus),
		},
	)
	return cmd
}

// migrationTarget is an open database and its migration dialect.
type migrationTarget struct {
	db      *sql.DB
	dialect migrations.Dialect
}

func migrateUp(ctx context.Context, out io.Writer, t migrationTarget) error {
	res, err := migrations.Up(ctx, t.db, t.dialect)
	if err != nil {
		return fmt.Errorf("migrate up: %w", err)
	}
	if len(res) == 0 {
		fmt.Fprintln(out, "database is up to date")
	}
	for _, r := range res {
		fmt.Fprintf(out, "applied %s (%s)\n", r.Name, r.Duration.Round(time.Millisecond))
	}
	return nil
}

func migrateDown(ctx context.Context, out io.Writer, t migrationTarget) error {
	r, err := migrations.Down(ctx, t.db, t.dialect)
	if err != nil {
		return fmt.Errorf("migrate down: %w", err)
	}
	fmt.Fprintf(out, "rolled back %s (%s)\n", r.Name, r.Duration.Round(time.Millisecond))
	return nil
}

func migrateStatus(ctx context.Context, out io.Writer, t migrationTarget) error {
	ms, err := migrations.Status(ctx, t.db, t.dialect)
	if err != nil {
		return fmt.Errorf("migrate status: %w", err)
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tNAME\tAPPLIED AT")
	for _, m := range ms {
		applied := "pending"
		if m.Applied {
			applied = m.AppliedAt.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\n", m.Version, m.Name, applied)
	}
	return tw.Flush()
}
