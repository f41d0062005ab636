package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/schemata-dev/schemata/client"
	"github.com/schemata-dev/schemata/compat"
)

func (a *app) configCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Show or change a subject's compatibility configuration",
	}
	var asJSON bool
	get := &cobra.Command{
		Use:   "get [SUBJECT]",
		Short: "Show the configuration in force for SUBJECT (or the global one)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runConfigGet(cmd.Context(), firstArg(args), asJSON)
		},
		ValidArgsFunction: a.completeSubjects,
	}
	get.Flags().BoolVar(&asJSON, "json", false, "print the registry's JSON answer")

	var (
		level, consumerBreakage string
		additive, normalize     bool
		minDeprecationDays      int
	)
	set := &cobra.Command{
		Use:   "set [SUBJECT]",
		Short: "Change the configuration of SUBJECT (or the global one)",
		Long: `Set changes only the settings given as flags, e.g.

  schemactl config set orders-value --level FULL --additive=false
  schemactl config set --min-deprecation-days 30`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: a.completeSubjects,
		RunE: func(cmd *cobra.Command, args []string) error {
			var u client.ConfigUpdate
			fl := cmd.Flags()
			if fl.Changed("level") {
				l, err := compat.ParseLevel(level)
				if err != nil {
					return usageErrorf("--level: %v", err)
				}
				u.Compatibility = string(l)
			}
			if fl.Changed("additive") {
				u.AdditiveOnly = &additive
			}
			if fl.Changed("normalize") {
				u.Normalize = &normalize
			}
			if fl.Changed("min-deprecation-days") {
				if minDeprecationDays < 0 {
					return usageErrorf("--min-deprecation-days must not be negative")
				}
				u.MinDeprecationDays = &minDeprecationDays
			}
			if fl.Changed("consumer-breakage") {
				if consumerBreakage != "reject" && consumerBreakage != "warn" {
					return usageErrorf("--consumer-breakage must be reject or warn")
				}
				u.ConsumerBreakage = &consumerBreakage
			}
			if u == (client.ConfigUpdate{}) {
				return usageErrorf("nothing to set: give --level, --additive, --normalize, --min-deprecation-days or --consumer-breakage")
			}
			return a.runConfigSet(cmd.Context(), firstArg(args), u)
		},
	}
	fl := set.Flags()
	fl.StringVar(&level, "level", "", "compatibility level: "+levelNames())
	fl.BoolVar(&additive, "additive", false, "the additive-only policy (--additive=false turns it off)")
	fl.BoolVar(&normalize, "normalize", false, "normalize schemas on registration")
	fl.IntVar(&minDeprecationDays, "min-deprecation-days", 0, "days an element must stay deprecated before removal")
	fl.StringVar(&consumerBreakage, "consumer-breakage", "", "reject or warn when a change breaks a registered consumer")
	cmd.AddCommand(get, set)
	return cmd
}

func firstArg(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return args[0]
}

func levelNames() string {
	names := make([]string, len(compat.Levels))
	for i, l := range compat.Levels {
		names[i] = string(l)
	}
	return strings.Join(names, ", ")
}

func (a *app) runConfigGet(ctx context.Context, subject string, asJSON bool) error {
	c, err := a.optionalClient()
	if err != nil {
		return err
	}
	cfg, err := c.Config(ctx, subject, &client.ConfigOptions{DefaultToGlobal: true})
	if err != nil {
		return registryError(err)
	}
	if asJSON {
		b, err := json.MarshalIndent(cfg, "", "  ")
		if err != nil {
			return fmt.Errorf("encode config: %w", err)
		}
		_, err = fmt.Fprintf(a.stdout, "%s\n", b)
		return err
	}
	name := subject
	if name == "" {
		name = "(global)"
	}
	fmt.Fprintf(a.stdout, "subject:            %s\n", name)
	fmt.Fprintf(a.stdout, "compatibility:      %s\n", orNone(cfg.CompatibilityLevel))
	fmt.Fprintf(a.stdout, "additiveOnly:       %s\n", optBool(cfg.AdditiveOnly))
	fmt.Fprintf(a.stdout, "normalize:          %s\n", optBool(cfg.Normalize))
	fmt.Fprintf(a.stdout, "minDeprecationDays: %s\n", optInt(cfg.MinDeprecationDays))
	fmt.Fprintf(a.stdout, "consumerBreakage:   %s\n", optString(cfg.ConsumerBreakage))
	return nil
}

func (a *app) runConfigSet(ctx context.Context, subject string, u client.ConfigUpdate) error {
	c, err := a.optionalClient()
	if err != nil {
		return err
	}
	if _, err := c.SetConfig(ctx, subject, u); err != nil {
		return registryError(err)
	}
	return a.runConfigGet(ctx, subject, false)
}

func optBool(b *bool) string {
	if b == nil {
		return "(not set)"
	}
	return strconv.FormatBool(*b)
}

// optString renders an optional string as orNone does: unset is none.
func optString(s *string) string {
	if s == nil {
		return orNone("")
	}
	return orNone(*s)
}

func optInt(n *int) string {
	if n == nil {
		return "(not set)"
	}
	return strconv.Itoa(*n)
}
