package cli

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/schemata-dev/schemata/client"
	"github.com/schemata-dev/schemata/srapi"
)

func (a *app) deprecateCommand() *cobra.Command {
	var (
		d     srapi.Deprecation
		force bool
	)
	cmd := &cobra.Command{
		Use:   "deprecate SUBJECT",
		Short: "Record a deprecation of a field, a version or a whole subject",
		Long: `Deprecate records that an element of SUBJECT is being retired: a field
(--path, a schema path such as Order.note or just note), a version
(--version), or, with neither, the whole subject. The registry dates it now;
the additive-only policy lets the element be removed only after --sunset
(or, without one, the subject's minimum deprecation period) and once no
registered consumer reads it. Deprecating an element again updates its
reason, sunset and replacement and keeps its date.

--replacement is checked like --path, against the latest version of SUBJECT,
or of another subject when written OTHER-SUBJECT:PATH. A sunset that is not
in the future, or earlier than the element's current one, may make the
removal legal at once: the registry refuses it unless --force is given, and
records the old and new dates in its audit trail.`,
		Example: `  schemactl deprecate orders-value --path Order.note --sunset $(date -d '+90 days' +%F) \
    --replacement Order.comment --reason "free text moves to comment"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d.Subject = args[0]
			if d.Path != "" && d.Version != 0 {
				return usageErrorf("give --path or --version, not both")
			}
			if d.Sunset != "" {
				if _, err := time.Parse(time.DateOnly, d.Sunset); err != nil {
					if _, err := time.Parse(time.RFC3339, d.Sunset); err != nil {
						return usageErrorf("--sunset %q: want a date such as 2026-06-01", d.Sunset)
					}
				}
			}
			rc, err := a.optionalClient()
			if err != nil {
				return err
			}
			out, created, err := rc.Deprecate(cmd.Context(), d, &client.DeprecateOptions{Force: force})
			if err != nil {
				return registryError(err)
			}
			verb := "updated"
			if created {
				verb = "recorded"
			}
			fmt.Fprintf(a.stdout, "%s deprecation %d of %s\n", verb, out.ID, describeDeprecation(out))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&d.Path, "path", "", "schema path of the deprecated field")
	fl.IntVar(&d.Version, "version", 0, "deprecated version")
	fl.StringVar(&d.Sunset, "sunset", "", "date after which the element may be removed, e.g. 2026-06-01")
	fl.StringVar(&d.Replacement, "replacement", "", "schema path of what replaces it")
	fl.StringVar(&d.Reason, "reason", "", "why it is deprecated")
	fl.BoolVar(&force, "force", false, "accept a sunset in the past or earlier than the current one")
	return cmd
}

// describeDeprecation names what d deprecates: "orders-value Order.note
// (sunset 2026-06-01)".
func describeDeprecation(d *srapi.Deprecation) string {
	var b strings.Builder
	b.WriteString(d.Subject)
	switch {
	case d.Path != "":
		b.WriteString(" " + d.Path)
	case d.Version != 0:
		fmt.Fprintf(&b, " version %d", d.Version)
	}
	if d.Sunset != "" {
		b.WriteString(" (sunset " + dateOf(d.Sunset) + ")")
	}
	return b.String()
}

// dateOf shortens an RFC 3339 time at midnight UTC to its date.
func dateOf(s string) string {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return formatDay(t)
	}
	return s
}

func formatDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// element names the deprecated element of it.
func element(it *srapi.ReportItem) string {
	switch {
	case it.Path != "":
		return it.Path
	case it.Version != 0:
		return fmt.Sprintf("version %d", it.Version)
	}
	return "(whole subject)"
}

// statusText spells out the status of it: an overdue element is past its
// date and still read, a removable one is past its date and unread.
func statusText(it *srapi.ReportItem) string {
	switch it.Status {
	case "overdue":
		return "overdue (still read)"
	case "removable":
		return "removable (unread)"
	}
	return it.Status
}

// due describes the days left or past the element's date.
func due(it *srapi.ReportItem) string {
	switch {
	case it.DaysLeft > 0:
		return plural(it.DaysLeft, "day") + " left"
	case it.DaysLeft == 0:
		return "due today"
	}
	return plural(-it.DaysLeft, "day") + " past its date"
}

func consumerNames(it *srapi.ReportItem) []string {
	out := make([]string, len(it.Consumers))
	for i, c := range it.Consumers {
		out[i] = fmt.Sprintf("%s (%s)", c.Name, c.Owner)
	}
	return out
}

func clientNames(it *srapi.ReportItem) []string {
	out := make([]string, len(it.Clients))
	for i, c := range it.Clients {
		out[i] = fmt.Sprintf("%s (%d lookups, last %s)", c.Identity, c.Count, formatDay(c.LastSeen))
	}
	return out
}

func (a *app) deprecationsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "deprecations",
		Short: "Report deprecated elements and who still depends on them",
	}
	var (
		format, prefix, owner string
		overdue               bool
		usageDays             int
	)
	rep := &cobra.Command{
		Use:   "report",
		Short: "Print the deprecation report: what is deprecated, until when, and who still reads it",
		Long: `Report lists every deprecated element still present (schema markers and
recorded deprecations) with its reason, since, sunset and replacement, the
days left or overdue, the registered consumers still reading it with their
owners, and the runtime clients that fetched versions containing it in the
last --usage-days days. --format markdown is meant for a pull request or a
wiki page.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			render, ok := reportRenderers[format]
			if !ok {
				return usageErrorf("--format must be text, json, markdown or csv, not %q", format)
			}
			rc, err := a.optionalClient()
			if err != nil {
				return err
			}
			r, err := rc.DeprecationReport(cmd.Context(), &client.ReportOptions{
				SubjectPrefix: prefix, Owner: owner, OverdueOnly: overdue, UsageDays: usageDays,
			})
			if err != nil {
				return registryError(err)
			}
			return render(a.stdout, r)
		},
	}
	fl := rep.Flags()
	fl.StringVarP(&format, "format", "f", "text", "output format: text, json, markdown or csv")
	fl.StringVar(&prefix, "subject-prefix", "", "only subjects starting with this prefix")
	fl.StringVar(&owner, "owner", "", "only elements a consumer of this owner still reads")
	fl.BoolVar(&overdue, "overdue-only", false, "only elements whose sunset (or minimum deprecation period) has passed: overdue (still read) and removable (unread)")
	fl.IntVar(&usageDays, "usage-days", 0, "runtime usage window in days (default: the registry's, 30)")
	_ = rep.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"text", "json", "markdown", "csv"}, cobra.ShellCompDirectiveNoFileComp))
	cmd.AddCommand(rep, a.deprecationsListCommand(), a.deprecationsGetCommand(), a.deprecationsDeleteCommand())
	return cmd
}

func (a *app) deprecationsListCommand() *cobra.Command {
	var subject, prefix string
	cmd := listCommand(a, &cobra.Command{
		Use:   "list",
		Short: "List recorded deprecations (schema markers are in the report)",
	}, func(ctx context.Context, rc *client.Client) ([]srapi.Deprecation, error) {
		return rc.Deprecations(ctx, &client.DeprecationsOptions{Subject: subject, SubjectPrefix: prefix})
	}, writeDeprecationTable)
	fl := cmd.Flags()
	fl.StringVar(&subject, "subject", "", "only deprecations of this subject")
	fl.StringVar(&prefix, "subject-prefix", "", "only subjects starting with this prefix")
	return cmd
}

// writeDeprecationTable prints one line per record.
func writeDeprecationTable(w io.Writer, ds []srapi.Deprecation) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSUBJECT\tELEMENT\tSINCE\tSUNSET\tREPLACEMENT\tREASON")
	for i := range ds {
		d := &ds[i]
		el := "(whole subject)"
		switch {
		case d.Path != "":
			el = d.Path
		case d.Version != 0:
			el = fmt.Sprintf("version %d", d.Version)
		}
		since := "-"
		if d.Since != nil {
			since = formatDay(*d.Since)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", d.ID, d.Subject, el, since,
			orDash(dateOf(d.Sunset)), orDash(d.Replacement), orDash(d.Reason))
	}
	return tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// deprecationID parses a record id argument.
func deprecationID(arg string) (int, error) {
	id, err := strconv.Atoi(arg)
	if err != nil || id <= 0 {
		return 0, usageErrorf("%q is not a deprecation id (see schemactl deprecations list)", arg)
	}
	return id, nil
}

// recordCommand completes cmd into a command of one argument, the ID of
// a deprecation record: it reads the record and runs do with it. The ID
// is checked before anything else.
func recordCommand(a *app, cmd *cobra.Command, do func(ctx context.Context, rc *client.Client, d *srapi.Deprecation) error) *cobra.Command {
	cmd.Args = cobra.ExactArgs(1)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		id, err := deprecationID(args[0])
		if err != nil {
			return err
		}
		rc, err := a.optionalClient()
		if err != nil {
			return err
		}
		d, err := rc.Deprecation(cmd.Context(), id)
		if err != nil {
			return registryError(err)
		}
		return do(cmd.Context(), rc, d)
	}
	return cmd
}

func (a *app) deprecationsGetCommand() *cobra.Command {
	return recordCommand(a, &cobra.Command{
		Use:   "get ID",
		Short: "Print a recorded deprecation as JSON",
	}, func(_ context.Context, _ *client.Client, d *srapi.Deprecation) error {
		return writeIndentedJSON(a.stdout, d)
	})
}

func (a *app) deprecationsDeleteCommand() *cobra.Command {
	return recordCommand(a, &cobra.Command{
		Use:   "delete ID",
		Short: "Delete a recorded deprecation (markers in schema text stay)",
	}, func(ctx context.Context, rc *client.Client, d *srapi.Deprecation) error {
		if err := rc.DeleteDeprecation(ctx, d.ID); err != nil {
			return registryError(err)
		}
		fmt.Fprintf(a.stdout, "deleted deprecation %d of %s\n", d.ID, describeDeprecation(d))
		return nil
	})
}

// reportRenderers render the deprecation report, one per --format.
var reportRenderers = map[string]func(io.Writer, *srapi.DeprecationReport) error{
	"text":     writeReportText,
	"json":     writeReportJSON,
	"markdown": writeReportMarkdown,
	"csv":      writeReportCSV,
}

// reportJSONVersion versions the JSON document of the report.
const reportJSONVersion = 1

func writeReportJSON(w io.Writer, r *srapi.DeprecationReport) error {
	doc := struct {
		Version int `json:"version"`
		*srapi.DeprecationReport
	}{reportJSONVersion, r}
	if doc.Items == nil {
		doc.Items = []srapi.ReportItem{}
	}
	return writeIndentedJSON(w, doc)
}

func writeReportText(w io.Writer, r *srapi.DeprecationReport) error {
	if len(r.Items) == 0 {
		_, err := fmt.Fprintln(w, "No deprecated elements.")
		return err
	}
	var b strings.Builder
	for i := range r.Items {
		it := &r.Items[i]
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s %s (%s, %s): %s, %s\n", it.Subject, element(it), it.Kind, it.Source, statusText(it), due(it))
		fmt.Fprintf(&b, "  since %s", formatDay(it.Since))
		if it.Sunset != nil {
			fmt.Fprintf(&b, ", sunset %s", formatDay(*it.Sunset))
		} else {
			fmt.Fprintf(&b, ", removable from %s", formatDay(it.RemovableFrom))
		}
		b.WriteString("\n")
		if it.Reason != "" {
			fmt.Fprintf(&b, "  reason: %s\n", it.Reason)
		}
		if it.Replacement != "" {
			fmt.Fprintf(&b, "  replacement: %s\n", it.Replacement)
		}
		fmt.Fprintf(&b, "  consumers: %s\n", listOrNone(consumerNames(it)))
		fmt.Fprintf(&b, "  clients in the last %d days: %s\n", r.UsageDays, listOrNone(clientNames(it)))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func listOrNone(items []string) string {
	if len(items) == 0 {
		return "none"
	}
	return strings.Join(items, ", ")
}

func writeReportMarkdown(w io.Writer, r *srapi.DeprecationReport) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## Deprecations\n\n")
	overdue, removable := 0, 0
	for _, it := range r.Items {
		switch it.Status {
		case "overdue":
			overdue++
		case "removable":
			removable++
		}
	}
	fmt.Fprintf(&b, "%d deprecated element(s): %d overdue (past their date, still read), %d removable (past their date, unread). Report of %s; runtime clients over the last %d days.\n\n",
		len(r.Items), overdue, removable, formatDay(r.GeneratedAt), r.UsageDays)
	if len(r.Items) == 0 {
		_, err := io.WriteString(w, b.String())
		return err
	}
	b.WriteString("| Subject | Element | Status | Since | Sunset | Due | Replacement | Reason | Consumers still reading | Runtime clients |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|\n")
	for i := range r.Items {
		it := &r.Items[i]
		sunset := "—"
		if it.Sunset != nil {
			sunset = formatDay(*it.Sunset)
		}
		status := statusText(it)
		if it.Status == "overdue" {
			status = "**" + status + "**"
		}
		cells := []string{
			"`" + it.Subject + "`", "`" + element(it) + "`", status, formatDay(it.Since), sunset, due(it),
			codeOrDash(it.Replacement), mdOrDash(it.Reason), mdOrDash(strings.Join(consumerNames(it), "<br>")), mdOrDash(strings.Join(clientNames(it), "<br>")),
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdOrDash escapes table cell text, or gives a dash for nothing.
func mdOrDash(s string) string {
	if s == "" {
		return "—"
	}
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

func codeOrDash(s string) string {
	if s == "" {
		return "—"
	}
	return "`" + s + "`"
}

func writeReportCSV(w io.Writer, r *srapi.DeprecationReport) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"subject", "path", "version", "kind", "source", "status", "reason", "since", "sunset",
		"removable_from", "days_left", "overdue", "replacement", "consumers", "clients"})
	for i := range r.Items {
		it := &r.Items[i]
		sunset := ""
		if it.Sunset != nil {
			sunset = formatDay(*it.Sunset)
		}
		version := ""
		if it.Version != 0 {
			version = strconv.Itoa(it.Version)
		}
		_ = cw.Write([]string{
			it.Subject, it.Path, version, it.Kind, it.Source, it.Status, it.Reason, formatDay(it.Since), sunset,
			formatDay(it.RemovableFrom), strconv.Itoa(it.DaysLeft), strconv.FormatBool(it.Overdue), it.Replacement,
			strings.Join(consumerNames(it), "; "), strings.Join(clientNames(it), "; "),
		})
	}
	cw.Flush()
	return cw.Error()
}
