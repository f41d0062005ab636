package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/goccy/go-yaml/parser"

	"github.com/schemata-dev/schemata/client"
	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/schema"
)

// checkDeclaredFields checks, before any write, that every field path a
// declared consumer lists exists in the latest version of its subject, and
// that the subject exists; a problem is reported at its line of the
// config. allowUnknown lets unknown paths through (a field the producer
// has not registered yet).
func (a *app) checkDeclaredFields(ctx context.Context, p *project, rc *registryCache, allowUnknown bool) error {
	data, err := os.ReadFile(p.configPath)
	if err != nil {
		return &exitError{code: ExitUsage, err: err}
	}
	file, _ := parser.ParseBytes(data, 0)
	v := validator{file: p.configFile, ast: file}
	for i, c := range p.cfg.Consumers {
		for j, r := range c.Reads {
			at := fmt.Sprintf("$.consumers[%d].reads[%d]", i, j)
			exists, err := rc.subjectExists(ctx, r.Subject)
			if err != nil {
				return registryError(err)
			}
			if !exists {
				v.fail(at+".subject", "consumer %s reads subject %s, which the registry does not have", c.Name, r.Subject)
				continue
			}
			if len(r.Fields) == 0 || allowUnknown {
				continue
			}
			latest, err := rc.version(ctx, r.Subject, client.Latest)
			if err != nil {
				return registryError(err)
			}
			if len(latest.References) > 0 || latest.SchemaType == client.TypeJSON {
				continue // the registry checks these paths itself
			}
			s, err := parseSchema(formatOfType(latest.SchemaType), r.Subject, latest.Schema.Schema, nil)
			if err != nil {
				return &exitError{code: ExitUsage, err: fmt.Errorf("version %d of %s does not parse here: %w", latest.Version, r.Subject, err)}
			}
			for k, f := range r.Fields {
				if !compat.HasPath(s, compat.ResolvePath(s, "", f)) {
					v.fail(fmt.Sprintf("%s.fields[%d]", at, k), "consumer %s reads %s, which version %d of %s does not have (--allow-unknown lets it through)",
						c.Name, f, latest.Version, r.Subject)
				}
			}
		}
	}
	if v.err != nil {
		return &exitError{code: ExitUsage, err: v.err}
	}
	return nil
}

// formatOfType maps a registry schema type to a format.
func formatOfType(t string) schema.Format {
	if t == client.TypeProtobuf {
		return schema.Protobuf
	}
	return schema.Avro
}
