package cli

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/schemata-dev/schemata/srapi"
)

// The backup file is JSON lines: a header, then one record per line.
// docs/migrating.md describes it.
const (
	backupFormat  = "schemata-backup"
	backupVersion = 1
	// maxBackupLine bounds one line, so a damaged file cannot exhaust
	// memory; a schema is far smaller.
	maxBackupLine = 64 << 20
)

// backupHeader is the first line of a backup file.
type backupHeader struct {
	Format    string    `json:"format"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"createdAt"`
	Source    string    `json:"source,omitempty"`
}

// Record kinds of a backup file.
const (
	recordGlobal      = "global"
	recordSubject     = "subject"
	recordVersion     = "version"
	recordConsumer    = "consumer"
	recordDeprecation = "deprecation"
)

// backupRecord is one line after the header. Kind says which fields it
// uses: global (Config, Mode), subject (Subject, Config, Mode), version
// (Subject, Version, ID, Deleted, Schema), consumer, deprecation.
type backupRecord struct {
	Kind        string                     `json:"kind"`
	Subject     string                     `json:"subject,omitempty"`
	Version     int                        `json:"version,omitempty"`
	ID          int                        `json:"id,omitempty"`
	Deleted     bool                       `json:"deleted,omitempty"`
	Schema      *srapi.Schema              `json:"schema,omitempty"`
	Config      map[string]json.RawMessage `json:"config,omitempty"`
	Mode        string                     `json:"mode,omitempty"`
	Consumer    *srapi.Consumer            `json:"consumer,omitempty"`
	Deprecation *srapi.Deprecation         `json:"deprecation,omitempty"`
}

// writeBackup writes snap as a backup file.
func writeBackup(w io.Writer, snap *snapshot, source string, now time.Time) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(backupHeader{Format: backupFormat, Version: backupVersion, CreatedAt: now.UTC(), Source: source}); err != nil {
		return err
	}
	if err := enc.Encode(backupRecord{Kind: recordGlobal, Config: snap.GlobalConfig, Mode: snap.GlobalMode}); err != nil {
		return err
	}
	for _, name := range snap.sortedSubjects() {
		st := snap.Subjects[name]
		if err := enc.Encode(backupRecord{Kind: recordSubject, Subject: name, Config: st.Config, Mode: st.Mode}); err != nil {
			return err
		}
		for _, v := range st.Versions {
			sch := v.Schema
			rec := backupRecord{Kind: recordVersion, Subject: name, Version: v.Version, ID: v.ID, Deleted: v.Deleted, Schema: &sch}
			if err := enc.Encode(rec); err != nil {
				return err
			}
		}
	}
	for _, c := range snap.Consumers {
		if err := enc.Encode(backupRecord{Kind: recordConsumer, Consumer: &c}); err != nil {
			return err
		}
	}
	for _, d := range snap.Deprecations {
		if err := enc.Encode(backupRecord{Kind: recordDeprecation, Deprecation: &d}); err != nil {
			return err
		}
	}
	return nil
}

// readBackup reads a backup file. Anything it does not understand (an
// unknown format or version, a record kind or field it does not know, a
// version twice) is an error naming the line.
func readBackup(r io.Reader) (*snapshot, *backupHeader, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxBackupLine)
	line := 0
	decode := func(v any) error {
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		if dec.More() {
			return fmt.Errorf("line %d: more than one JSON value", line)
		}
		return nil
	}
	var h backupHeader
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return nil, nil, err
		}
		return nil, nil, errors.New("empty file: not a backup")
	}
	line++
	if err := decode(&h); err != nil || h.Format != backupFormat {
		return nil, nil, fmt.Errorf("not a %s file (the first line must be its header)", backupFormat)
	}
	if h.Version != backupVersion {
		return nil, nil, fmt.Errorf("backup format version %d; this schemactl reads version %d", h.Version, backupVersion)
	}
	snap := &snapshot{Subjects: map[string]*subjectState{}}
	seen := map[string]bool{}
	for sc.Scan() {
		line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var rec backupRecord
		if err := decode(&rec); err != nil {
			return nil, nil, err
		}
		if err := addRecord(snap, rec, seen); err != nil {
			return nil, nil, fmt.Errorf("line %d: %w", line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("after line %d: %w", line, err)
	}
	for _, st := range snap.Subjects {
		st.sortVersions()
	}
	return snap, &h, nil
}

func addRecord(snap *snapshot, rec backupRecord, seen map[string]bool) error {
	switch rec.Kind {
	case recordGlobal:
		snap.GlobalConfig, snap.GlobalMode = rec.Config, rec.Mode
	case recordSubject:
		if rec.Subject == "" {
			return errors.New("a subject record needs a subject")
		}
		st := snap.subject(rec.Subject)
		st.Config, st.Mode = rec.Config, rec.Mode
	case recordVersion:
		if rec.Subject == "" || rec.Version < 1 || rec.ID < 1 || rec.Schema == nil {
			return errors.New("a version record needs a subject, a version and an id from 1, and a schema")
		}
		key := versionKey(rec.Subject, rec.Version)
		if seen[key] {
			return fmt.Errorf("%s version %d appears twice", rec.Subject, rec.Version)
		}
		seen[key] = true
		st := snap.subject(rec.Subject)
		st.Versions = append(st.Versions, versionState{Version: rec.Version, ID: rec.ID, Deleted: rec.Deleted, Schema: *rec.Schema})
	case recordConsumer:
		if rec.Consumer == nil {
			return errors.New("a consumer record needs a consumer")
		}
		snap.Consumers = append(snap.Consumers, *rec.Consumer)
	case recordDeprecation:
		if rec.Deprecation == nil {
			return errors.New("a deprecation record needs a deprecation")
		}
		snap.Deprecations = append(snap.Deprecations, *rec.Deprecation)
	default:
		return fmt.Errorf("unknown record kind %q", rec.Kind)
	}
	return nil
}

// gzipped reports whether a backup file name asks for gzip.
func gzipped(name string) bool { return strings.HasSuffix(name, ".gz") }

func (a *app) backupCommand() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "backup --out FILE",
		Short: "Write everything the registry holds to a portable file",
		Long: `backup writes every subject, version (soft-deleted ones too), id, reference,
config and mode of the registry, and its consumers and deprecation records
(never its users or tokens), to one JSON-lines file; gzip-compressed when
the name ends in .gz. 'schemactl restore --in FILE' puts it back, with the
same ids, into a registry on a new database.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runBackup(cmd.Context(), out) },
	}
	cmd.Flags().StringVar(&out, "out", "", "file to write (required; .gz compresses)")
	return cmd
}

func (a *app) runBackup(ctx context.Context, out string) error {
	if out == "" {
		return usageErrorf("--out is required")
	}
	c, err := a.optionalClient()
	if err != nil {
		return err
	}
	started := time.Now()
	snap, err := readRegistry(ctx, c)
	if err != nil {
		return registryError(fmt.Errorf("read the registry: %w", err))
	}
	if err := writeBackupFile(a.resolve(out), snap, c.BaseURL(), a.now()); err != nil {
		return &exitError{code: ExitUsage, err: err}
	}
	fmt.Fprintf(a.stdout, "backup: %s, %d consumers, %d deprecation records to %s in %s\n",
		describeSnapshot(snap), len(snap.Consumers), len(snap.Deprecations), out, time.Since(started).Round(time.Millisecond))
	return nil
}

// writeBackupFile writes the file next to its final name and renames it,
// so an interrupted backup never leaves a truncated file under the name.
func writeBackupFile(path string, snap *snapshot, source string, now time.Time) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriter(f)
	var w io.Writer = bw
	var zw *gzip.Writer
	if gzipped(path) {
		zw = gzip.NewWriter(bw)
		w = zw
	}
	if err := writeBackup(w, snap, source, now); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

type restoreFlags struct {
	in string
	copyFlags
}

func (a *app) restoreCommand() *cobra.Command {
	var f restoreFlags
	cmd := &cobra.Command{
		Use:   "restore --in FILE",
		Short: "Put a backup file into the registry, with its ids",
		Long: `restore makes the registry hold what a 'schemactl backup' file holds, through
IMPORT mode and with the same ids and versions, then compares every
(subject, version, id, fingerprint) with the file. Restoring again changes
nothing; a restore that stopped half way finishes when run again.

Exit codes: 0 restored and verified, 1 a difference remains (listed), 2 usage
or an unreadable file, 3 the registry is unreachable.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runRestore(cmd.Context(), f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.in, "in", "", "backup file to read (required; .gz is decompressed)")
	f.add(fl)
	return cmd
}

func (a *app) runRestore(ctx context.Context, f restoreFlags) error {
	if f.in == "" {
		return usageErrorf("--in is required")
	}
	if err := f.validate(); err != nil {
		return err
	}
	snap, h, err := readBackupFile(a.resolve(f.in))
	if err != nil {
		return &exitError{code: ExitUsage, err: fmt.Errorf("%s: %w", f.in, err)}
	}
	target, err := a.optionalClient()
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "restore: %s (taken %s from %s) -> %s\n", f.in, h.CreatedAt.Format(time.RFC3339), h.Source, target.BaseURL())
	read := func() (*snapshot, error) { return snap, nil }
	return a.copyInto(ctx, target, read, copySettings{dryRun: f.dryRun, parallel: f.parallel, copyGlobalMode: true, what: "backup"})
}

func readBackupFile(path string) (*snapshot, *backupHeader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	var r io.Reader = bufio.NewReader(f)
	if gzipped(path) {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, nil, err
		}
		defer zr.Close()
		r = zr
	}
	return readBackup(r)
}
