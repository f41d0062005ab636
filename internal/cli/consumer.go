package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/schemata-dev/schemata/client"
	"github.com/schemata-dev/schemata/srapi"
)

// ConsumerConfig declares a consumer in the consumers: section of
// schemactl.yaml (typically in the consumer's own repository); `schemactl
// consumer apply` registers every one, idempotently.
type ConsumerConfig struct {
	Name   string            `yaml:"name"`
	Owner  string            `yaml:"owner"`
	Labels map[string]string `yaml:"labels"`
	Reads  []ConsumerRead    `yaml:"reads"`
}

// ConsumerRead is what a declared consumer reads from one subject: a
// reader schema file (Reader, with Message for Protobuf) or Fields, and
// a backfill window such as "90d".
type ConsumerRead struct {
	Subject string `yaml:"subject"`
	// Reader is a reader schema file, relative to schemactl.yaml; .proto
	// files are Protobuf, others Avro unless Format says otherwise (a JSON
	// Schema reader needs format: json).
	Reader     string            `yaml:"reader"`
	Format     string            `yaml:"format"`
	Message    string            `yaml:"message"`
	Fields     []string          `yaml:"fields"`
	Backfill   string            `yaml:"backfill"`
	References []ReferenceConfig `yaml:"references"`
}

// wire builds the request body of a declared consumer, reading reader
// schema files relative to dir.
func (c *ConsumerConfig) wire(dir string) (*srapi.Consumer, error) {
	out := &srapi.Consumer{Name: c.Name, Owner: c.Owner, Labels: c.Labels, Reads: []srapi.ConsumerRead{}}
	for _, r := range c.Reads {
		rw := srapi.ConsumerRead{Subject: r.Subject, Message: r.Message, Fields: r.Fields, Backfill: r.Backfill}
		if r.Reader != "" {
			text, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(r.Reader)))
			if err != nil {
				return nil, usageErrorf("consumer %s: reader schema: %v", c.Name, err)
			}
			rw.Schema, rw.SchemaType = string(text), readerFormat(r.Reader, r.Format)
		}
		for _, ref := range r.References {
			if ref.File != "" {
				return nil, usageErrorf("consumer %s: references of a reader schema must name a registered subject and version, not a file", c.Name)
			}
			rw.References = append(rw.References, srapi.Reference{Name: ref.Name, Subject: ref.Subject, Version: ref.Version})
		}
		out.Reads = append(out.Reads, rw)
	}
	return out, nil
}

// readerFormat is the schemaType of a reader schema file.
func readerFormat(file, format string) string {
	switch {
	case format != "":
		return strings.ToUpper(format)
	case strings.EqualFold(filepath.Ext(file), ".proto"):
		return srapi.TypeProtobuf
	}
	return srapi.TypeAvro
}

// declaredConsumer returns the consumer named name in the config, or nil.
func declaredConsumer(p *project, name string) *ConsumerConfig {
	if p == nil {
		return nil
	}
	for i := range p.cfg.Consumers {
		if p.cfg.Consumers[i].Name == name {
			return &p.cfg.Consumers[i]
		}
	}
	return nil
}

func (a *app) consumerCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "consumer",
		Short: "Register the downstream consumers of subjects, so checks protect them",
		Long: `A consumer is a pipeline that reads subjects: with a reader schema of its own,
or with a list of the fields it uses. Every change to a subject is checked
against the consumers that read it, and the deprecation report names them.`,
	}
	cmd.AddCommand(a.consumerRegisterCommand(), a.consumerListCommand(), a.consumerGetCommand(),
		a.consumerDeleteCommand(), a.consumerApplyCommand())
	return cmd
}

func (a *app) consumerRegisterCommand() *cobra.Command {
	var (
		owner, subject, reader, format, message, backfill string
		fields, labels                                    []string
	)
	cmd := &cobra.Command{
		Use:   "register NAME",
		Short: "Create or replace a consumer that reads one subject",
		Long: `Register creates the consumer NAME, or replaces it, reading --subject with a
reader schema (--reader FILE, plus --message for Protobuf) or a list of
--fields. Registering the same definition again changes nothing. Declare
consumers reading several subjects in schemactl.yaml and use 'consumer apply'.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if subject == "" || (reader == "") == (len(fields) == 0) {
				return usageErrorf("give --subject and either --reader or --fields")
			}
			c := ConsumerConfig{Name: args[0], Owner: owner, Labels: map[string]string{}, Reads: []ConsumerRead{{
				Subject: subject, Reader: reader, Format: format, Message: message, Fields: fields, Backfill: backfill,
			}}}
			for _, l := range labels {
				k, v, ok := strings.Cut(l, "=")
				if !ok {
					return usageErrorf("--label %q: want key=value", l)
				}
				c.Labels[k] = v
			}
			dir := a.workDir()
			p, err := a.optionalProject()
			if err != nil {
				return err
			}
			return a.putConsumer(cmd, p, dir, &c)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&owner, "owner", "", "team or contact responsible for the consumer (required)")
	fl.StringVar(&subject, "subject", "", "subject the consumer reads")
	fl.StringVar(&reader, "reader", "", "reader schema file (.avsc, .proto, or a JSON Schema with --schema-type JSON)")
	fl.StringVar(&format, "schema-type", "", "reader schema type, AVRO, PROTOBUF or JSON (default: from the file extension; a JSON Schema needs JSON)")
	fl.StringVar(&message, "message", "", "full name of the Protobuf message decoded (or that --fields are relative to)")
	fl.StringSliceVar(&fields, "fields", nil, "schema paths of the fields the consumer uses, comma-separated")
	fl.StringVar(&backfill, "backfill", "", "how far back the consumer must re-read, e.g. 90d")
	fl.StringArrayVar(&labels, "label", nil, "label key=value (repeatable)")
	_ = cmd.MarkFlagRequired("owner")
	return cmd
}

// putConsumer sends one consumer and says whether it was created, updated
// or unchanged.
func (a *app) putConsumer(cmd *cobra.Command, p *project, dir string, c *ConsumerConfig) error {
	body, err := c.wire(dir)
	if err != nil {
		return err
	}
	rc, err := a.newClient(p)
	if err != nil {
		return err
	}
	// The registry keeps updatedAt when nothing changed: compare it with
	// the consumer as it was, if it was.
	before, getErr := rc.Consumer(cmd.Context(), c.Name)
	after, created, err := rc.PutConsumer(cmd.Context(), *body)
	if err != nil {
		return registryError(err)
	}
	verb := "updated"
	switch {
	case created:
		verb = "created"
	case getErr == nil && before.UpdatedAt != nil && after.UpdatedAt != nil && before.UpdatedAt.Equal(*after.UpdatedAt):
		verb = "unchanged"
	}
	fmt.Fprintf(a.stdout, "%s consumer %s\n", verb, c.Name)
	return nil
}

func (a *app) consumerApplyCommand() *cobra.Command {
	var dryRun, allowUnknown bool
	cmd := &cobra.Command{
		Use:   "apply",
		Short: "Register every consumer declared in schemactl.yaml (idempotent)",
		Long: `Apply registers each consumer of the consumers: section of schemactl.yaml,
creating or replacing it; consumers already registered as declared are left
unchanged. Consumers registered elsewhere are not touched.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := a.loadProject()
			if err != nil {
				return err
			}
			if len(p.cfg.Consumers) == 0 {
				return usageErrorf("%s declares no consumers", p.configFile)
			}
			// Everything is validated before any write: the declarations
			// (when the config was loaded), the reader files, and the
			// subjects and field paths against the registry.
			for i := range p.cfg.Consumers {
				if _, err := p.cfg.Consumers[i].wire(p.dir); err != nil {
					return err
				}
			}
			rc, err := a.openRegistry(p)
			if err != nil {
				return err
			}
			if err := reachRegistry(cmd.Context(), rc); err != nil {
				return err
			}
			if err := a.checkDeclaredFields(cmd.Context(), p, rc, allowUnknown); err != nil {
				return err
			}
			for i := range p.cfg.Consumers {
				c := &p.cfg.Consumers[i]
				if dryRun {
					if _, err := c.wire(p.dir); err != nil {
						return err
					}
					fmt.Fprintf(a.stdout, "would apply consumer %s\n", c.Name)
					continue
				}
				if err := a.putConsumer(cmd, p, p.dir, c); err != nil {
					return err
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "read and validate the declarations without registering them")
	cmd.Flags().BoolVar(&allowUnknown, "allow-unknown", false, "accept field paths the latest version of the subject does not have")
	return cmd
}

func (a *app) consumerListCommand() *cobra.Command {
	var subject, owner string
	cmd := listCommand(a, &cobra.Command{
		Use:   "list",
		Short: "List registered consumers",
	}, func(ctx context.Context, rc *client.Client) ([]srapi.Consumer, error) {
		return rc.Consumers(ctx, &client.ConsumersOptions{Subject: subject, Owner: owner})
	}, writeConsumerTable)
	fl := cmd.Flags()
	fl.StringVar(&subject, "subject", "", "only consumers reading this subject")
	fl.StringVar(&owner, "owner", "", "only consumers with this owner")
	return cmd
}

// listCommand completes cmd as a command that fetches one listing from
// the registry and prints it as a table (--format text) or as an indented
// JSON array (--format json; [] when empty).
func listCommand[T any](a *app, cmd *cobra.Command, fetch func(context.Context, *client.Client) ([]T, error), table func(io.Writer, []T) error) *cobra.Command {
	var format string
	cmd.Args = cobra.NoArgs
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if format != "text" && format != "json" {
			return usageErrorf("--format must be text or json, not %q", format)
		}
		rc, err := a.optionalClient()
		if err != nil {
			return err
		}
		items, err := fetch(cmd.Context(), rc)
		if err != nil {
			return registryError(err)
		}
		if format == "json" {
			if items == nil {
				items = []T{}
			}
			return writeIndentedJSON(a.stdout, items)
		}
		return table(a.stdout, items)
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: text or json")
	return cmd
}

// writeConsumerTable prints one line per consumer and subject read.
func writeConsumerTable(w io.Writer, cs []srapi.Consumer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tOWNER\tSUBJECT\tREADS\tBACKFILL")
	for _, c := range cs {
		for _, r := range c.Reads {
			reads := "fields " + strings.Join(r.Fields, ", ")
			if r.Schema != "" {
				reads = strings.ToLower(r.SchemaType) + " reader"
				if r.Message != "" {
					reads += " " + r.Message
				}
			}
			backfill := r.Backfill
			if backfill == "" {
				backfill = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.Name, c.Owner, r.Subject, reads, backfill)
		}
	}
	return tw.Flush()
}

func writeIndentedJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// argCommand completes cmd into a command of one argument that runs do
// with a client of the registry (which needs no schemactl.yaml, only a
// registry URL).
func argCommand(a *app, cmd *cobra.Command, do func(ctx context.Context, rc *client.Client, arg string) error) *cobra.Command {
	cmd.Args = cobra.ExactArgs(1)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		rc, err := a.optionalClient()
		if err != nil {
			return err
		}
		return do(cmd.Context(), rc, args[0])
	}
	return cmd
}

func (a *app) consumerGetCommand() *cobra.Command {
	return argCommand(a, &cobra.Command{
		Use:   "get NAME",
		Short: "Print a registered consumer as JSON",
	}, func(ctx context.Context, rc *client.Client, name string) error {
		c, err := rc.Consumer(ctx, name)
		if err != nil {
			return registryError(err)
		}
		return writeIndentedJSON(a.stdout, c)
	})
}

func (a *app) consumerDeleteCommand() *cobra.Command {
	return argCommand(a, &cobra.Command{
		Use:   "delete NAME",
		Short: "Delete a registered consumer",
	}, func(ctx context.Context, rc *client.Client, name string) error {
		if err := rc.DeleteConsumer(ctx, name); err != nil {
			return registryError(err)
		}
		fmt.Fprintf(a.stdout, "deleted consumer %s\n", name)
		return nil
	})
}
