package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/schema"
)

func (a *app) rulesCommand() *cobra.Command {
	var (
		asJSON bool
		format string
	)
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the compatibility rules: ID, format, categories and purpose",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rules := compat.Rules()
			if format != "" {
				f, err := schema.ParseFormat(format)
				if err != nil {
					return usageErrorf("--schema-format: %v", err)
				}
				kept := rules[:0]
				for _, r := range rules {
					if r.Format == f || r.Format == "" {
						kept = append(kept, r)
					}
				}
				rules = kept
			}
			if asJSON {
				return writeRulesJSON(a, rules)
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tFORMAT\tCATEGORIES\tSEVERITY\tPURPOSE")
			for _, r := range rules {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, orAny(string(r.Format)), categories(r), r.Severity, r.Purpose)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the table as JSON")
	cmd.Flags().StringVar(&format, "schema-format", "", "only rules for this format (avro, protobuf or json)")
	return cmd
}

func orAny(s string) string {
	if s == "" {
		return "ANY"
	}
	return s
}

func categories(r compat.Rule) string {
	cs := make([]string, len(r.Categories))
	for i, c := range r.Categories {
		cs[i] = string(c)
	}
	return strings.Join(cs, ",")
}

type ruleJSON struct {
	ID         string   `json:"id"`
	Format     string   `json:"format"`
	Categories []string `json:"categories"`
	Severity   string   `json:"severity"`
	Purpose    string   `json:"purpose"`
}

func writeRulesJSON(a *app, rules []compat.Rule) error {
	out := make([]ruleJSON, len(rules))
	for i, r := range rules {
		out[i] = ruleJSON{ID: r.ID, Format: orAny(string(r.Format)), Categories: strings.Split(categories(r), ","), Severity: string(r.Severity), Purpose: r.Purpose}
		if len(r.Categories) == 0 {
			out[i].Categories = []string{}
		}
	}
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
