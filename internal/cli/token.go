package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/schemata-dev/schemata/client"
	"github.com/schemata-dev/schemata/srapi"
)

// The token commands manage the registry's API tokens through its admin
// API (/v1/auth/tokens), which needs a global admin's credentials
// ($SCHEMACTL_USER/$SCHEMACTL_PASSWORD or $SCHEMACTL_TOKEN).

func (a *app) tokenCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Create, list and revoke the registry's API tokens (global admins)",
		Long: `Manage the registry's API tokens. A token carries grants "role:pattern"
(role reader, writer or admin; pattern a subject, a prefix ending in *, or *
for every subject). Its secret is printed once, by create, and is never
stored by the registry: keep it in your CI's secret store and pass it to
schemactl as $SCHEMACTL_TOKEN.`,
	}
	cmd.AddCommand(a.tokenCreateCommand(), a.tokenListCommand(), a.tokenRevokeCommand())
	return cmd
}

func (a *app) tokenCreateCommand() *cobra.Command {
	var (
		grants []string
		ttl    time.Duration
		format string
	)
	cmd := &cobra.Command{
		Use:     "create NAME --grant ROLE:PATTERN...",
		Short:   "Create an API token and print its secret (shown only this once)",
		Example: "  schemactl token create payments-ci --grant writer:payments.* --grant reader:* --ttl 2160h",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(grants) == 0 {
				return usageErrorf("give at least one --grant role:pattern, e.g. --grant reader:*")
			}
			if ttl < 0 {
				return usageErrorf("--ttl must not be negative")
			}
			if format != "text" && format != "json" {
				return usageErrorf("--format must be text or json, not %q", format)
			}
			in := srapi.CreateTokenRequest{Name: args[0], Grants: grants}
			if ttl > 0 {
				in.TTL = ttl.String()
			}
			rc, err := a.optionalClient()
			if err != nil {
				return err
			}
			t, err := rc.CreateToken(cmd.Context(), in)
			if err != nil {
				return registryError(err)
			}
			if format == "json" {
				return writeIndentedJSON(a.stdout, t)
			}
			fmt.Fprintf(a.stdout, "%s\n", t.Token)
			fmt.Fprintf(a.stderr, "created token %s (id %s); its secret is above and will not be shown again\n", t.Name, t.ID)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&grants, "grant", nil, "a grant role:pattern (repeatable), e.g. writer:payments.*")
	fl.DurationVar(&ttl, "ttl", 0, "lifetime of the token, e.g. 720h (default: no expiry)")
	fl.StringVarP(&format, "format", "f", "text", "output format: text (the secret alone) or json")
	return cmd
}

func (a *app) tokenListCommand() *cobra.Command {
	return listCommand(a, &cobra.Command{
		Use:   "list",
		Short: "List API tokens, revoked ones included (never their secrets)",
	}, func(ctx context.Context, rc *client.Client) ([]srapi.Token, error) {
		return rc.Tokens(ctx)
	}, writeTokenTable)
}

func (a *app) tokenRevokeCommand() *cobra.Command {
	return argCommand(a, &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke an API token by id (see token list)",
	}, func(ctx context.Context, rc *client.Client, id string) error {
		if err := rc.RevokeToken(ctx, id); err != nil {
			return registryError(err)
		}
		fmt.Fprintf(a.stdout, "revoked token %s\n", id)
		return nil
	})
}

// writeTokenTable prints one line per token.
func writeTokenTable(w io.Writer, ts []srapi.Token) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tGRANTS\tCREATED\tEXPIRES\tSTATUS")
	for _, t := range ts {
		expires, status := "never", "active"
		if t.ExpiresAt != nil {
			expires = t.ExpiresAt.UTC().Format(time.RFC3339)
		}
		if t.RevokedAt != nil {
			status = "revoked " + t.RevokedAt.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, strings.Join(t.Grants, ","),
			t.CreatedAt.UTC().Format(time.RFC3339), expires, status)
	}
	return tw.Flush()
}
