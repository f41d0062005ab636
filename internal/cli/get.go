package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/schemata-dev/schemata/client"
)

func (a *app) getCommand() *cobra.Command {
	var (
		versionFlag string
		output      string
	)
	cmd := &cobra.Command{
		Use:   "get SUBJECT",
		Short: "Fetch registered versions of a subject",
		Long: `Get fetches a version of SUBJECT (--version N, latest by default) and prints its
schema text, or writes it to -o FILE. With --version all it writes every
live version into the directory -o DIR, as SUBJECT.vN.avsc or SUBJECT.vN.proto.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runGet(cmd.Context(), args[0], versionFlag, output)
		},
	}
	cmd.Flags().StringVar(&versionFlag, "version", "latest", "version number, latest, or all")
	cmd.Flags().StringVarP(&output, "output", "o", "", "file to write (a directory with --version all)")
	return cmd
}

// parseVersion parses a version argument: a positive number or latest.
func parseVersion(s string) (int, error) {
	if s == "latest" || s == "-1" {
		return client.Latest, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 {
		return 0, usageErrorf("invalid version %q: want a positive number or latest", s)
	}
	return v, nil
}

func (a *app) runGet(ctx context.Context, subject, versionArg, output string) error {
	c, err := a.optionalClient()
	if err != nil {
		return err
	}
	if versionArg == "all" {
		if output == "" {
			return usageErrorf("--version all needs -o DIR")
		}
		dir := a.resolve(output)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return usageErrorf("create %s: %v", output, err)
		}
		versions, err := c.Versions(ctx, subject, nil)
		if err != nil {
			return registryError(err)
		}
		for _, v := range versions {
			sv, err := c.Version(ctx, subject, v, nil)
			if err != nil {
				return registryError(err)
			}
			name := filepath.Join(dir, fmt.Sprintf("%s.v%d%s", safeFileName(subject), v, extension(sv.Type())))
			if err := writeSchemaFile(name, sv.Schema.Schema); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%s version %d → %s\n", subject, v, a.displayPath(name))
		}
		return nil
	}
	v, err := parseVersion(versionArg)
	if err != nil {
		return err
	}
	sv, err := c.Version(ctx, subject, v, nil)
	if err != nil {
		return registryError(err)
	}
	if output == "" {
		text := sv.Schema.Schema
		if !strings.HasSuffix(text, "\n") {
			text += "\n"
		}
		_, err := fmt.Fprint(a.stdout, text)
		return err
	}
	name := a.resolve(output)
	if err := writeSchemaFile(name, sv.Schema.Schema); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%s version %d → %s\n", subject, sv.Version, a.displayPath(name))
	return nil
}

// optionalProject loads the config if there is one: commands that only
// need a registry URL work without it, but a config that is there must be
// valid.
func (a *app) optionalProject() (*project, error) {
	if a.configPath == "" {
		if _, err := findConfig(a.workDir(), ""); err != nil {
			return nil, nil
		}
	}
	return a.loadProject()
}

// resolve makes a user-given path absolute against the working directory.
func (a *app) resolve(path string) string {
	if filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(a.workDir(), path)
}

func writeSchemaFile(name, text string) error {
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		return &exitError{code: ExitUsage, err: fmt.Errorf("write schema: %w", err)}
	}
	return nil
}

// extension returns the file extension for a schema type.
func extension(schemaType string) string {
	switch schemaType {
	case client.TypeProtobuf:
		return ".proto"
	case client.TypeJSON:
		return ".json"
	}
	return ".avsc"
}

// safeFileName replaces characters that do not belong in file names.
func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '/', '\\', ':', '*', '?', '"', '<', '>', '|':
			return '_'
		}
		return r
	}, s)
}
