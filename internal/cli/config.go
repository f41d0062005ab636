package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/srapi"
)

// ConfigFileName is the name of the file searched for from the working
// directory upwards.
const ConfigFileName = "schemactl.yaml"

// Config is the content of schemactl.yaml. Paths are relative to the
// directory holding the file.
type Config struct {
	// Registry is the registry URL; $SCHEMACTL_REGISTRY and --registry
	// override it.
	Registry string `yaml:"registry"`
	// Local holds the defaults of checks against a local baseline
	// (--against), which have no registry config to read.
	Local LocalConfig `yaml:"local"`
	// Subjects maps schema files to subjects.
	Subjects []SubjectConfig `yaml:"subjects"`
	// Consumers declares the consumers `schemactl consumer apply`
	// registers (consumer.go).
	Consumers []ConsumerConfig `yaml:"consumers"`
}

// LocalConfig are the defaults of `check --against` and `lint --additive`;
// flags override them. Unset, they are the registry's shipped defaults,
// so that an offline check finds what the registry would.
type LocalConfig struct {
	// Level is the compatibility level (default BACKWARD).
	Level string `yaml:"level"`
	// Additive turns the additive-only policy on or off in `check
	// --against` (default on, as the registry ships).
	Additive *bool `yaml:"additive"`
	// MinDeprecationDays is the minimum deprecation period for elements
	// deprecated without a sunset date (default 30, the registry's).
	MinDeprecationDays *int `yaml:"minDeprecationDays"`
}

// Defaults of LocalConfig: the registry's shipped global config.
const (
	defaultLocalAdditive           = true
	defaultLocalMinDeprecationDays = 30
)

// SubjectConfig maps one schema file to a subject.
type SubjectConfig struct {
	Subject string `yaml:"subject"`
	File    string `yaml:"file"`
	// Format is "avro", "protobuf" or "json" (JSON Schema); by default
	// .avsc and .avro files are Avro and .proto files Protobuf. A .json
	// file may hold either an Avro schema or a JSON Schema, so it needs
	// the key.
	Format string `yaml:"format"`
	// Normalize asks the registry to normalize the schema when registering,
	// looking up and checking it.
	Normalize  bool              `yaml:"normalize"`
	References []ReferenceConfig `yaml:"references"`
}

// ReferenceConfig is one reference of a schema: either to a registered
// subject version (Subject and Version) or to a local file mapped to a
// subject in the same config (File).
type ReferenceConfig struct {
	// Name is the Avro full name or Protobuf import path the schema uses.
	Name    string `yaml:"name"`
	Subject string `yaml:"subject"`
	Version int    `yaml:"version"`
	File    string `yaml:"file"`
}

// configError is a problem in schemactl.yaml, located at file:line.
type configError struct {
	file      string
	line, col int
	msg       string
}

func (e *configError) Error() string {
	switch {
	case e.line > 0 && e.col > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.file, e.line, e.col, e.msg)
	case e.line > 0:
		return fmt.Sprintf("%s:%d: %s", e.file, e.line, e.msg)
	}
	return fmt.Sprintf("%s: %s", e.file, e.msg)
}

// findConfig returns the path of the config file: explicit when given,
// else the first schemactl.yaml from dir upwards.
func findConfig(dir, explicit string) (string, error) {
	if explicit != "" {
		if !filepath.IsAbs(explicit) {
			explicit = filepath.Join(dir, explicit)
		}
		return explicit, nil
	}
	for d := dir; ; {
		p := filepath.Join(d, ConfigFileName)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("no %s found in %s or any parent directory", ConfigFileName, dir)
		}
		d = parent
	}
}

// loadConfig reads and validates the config file at path. Every problem is
// reported with the file and line it is on; display is the path shown.
func loadConfig(path, display string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	var cfg Config
	if err := yaml.UnmarshalWithOptions(data, &cfg, yaml.DisallowUnknownField()); err != nil {
		ce := &configError{file: display, msg: err.Error()}
		var yerr yaml.Error
		if errors.As(err, &yerr) {
			ce.msg = yerr.GetMessage()
			if tok := yerr.GetToken(); tok != nil && tok.Position != nil {
				ce.line, ce.col = tok.Position.Line, tok.Position.Column
			}
		}
		return nil, ce
	}
	file, _ := parser.ParseBytes(data, 0)
	v := validator{file: display, ast: file}
	v.validate(&cfg)
	if v.err != nil {
		return nil, v.err
	}
	return &cfg, nil
}

// validator checks a decoded config, locating problems through the AST.
type validator struct {
	file string
	ast  *ast.File
	err  error
}

// fail records the first problem, at the node the YAML path names.
func (v *validator) fail(path string, format string, args ...any) {
	if v.err != nil {
		return
	}
	ce := &configError{file: v.file, msg: fmt.Sprintf(format, args...)}
	ce.line, ce.col = v.position(path)
	v.err = ce
}

// position returns where the node at path starts, or, when the path does
// not exist (an omitted key), where its closest existing parent starts.
func (v *validator) position(path string) (line, col int) {
	for v.ast != nil && path != "$" && path != "" {
		if p, err := yaml.PathString(path); err == nil {
			if n, err := p.FilterFile(v.ast); err == nil && n != nil {
				if tok := n.GetToken(); tok != nil && tok.Position != nil {
					return tok.Position.Line, tok.Position.Column
				}
			}
		}
		cut := strings.LastIndexAny(path, ".[")
		if cut <= 0 {
			break
		}
		path = path[:cut]
	}
	return 0, 0
}

func (v *validator) validate(cfg *Config) {
	if cfg.Local.Level != "" {
		if _, err := compat.ParseLevel(cfg.Local.Level); err != nil {
			v.fail("$.local.level", "%v", err)
		}
	}
	if cfg.Local.MinDeprecationDays != nil && *cfg.Local.MinDeprecationDays < 0 {
		v.fail("$.local.minDeprecationDays", "minDeprecationDays must not be negative")
	}
	subjects := map[string]bool{}
	files := map[string]string{}
	for i, s := range cfg.Subjects {
		at := fmt.Sprintf("$.subjects[%d]", i)
		switch {
		case s.Subject == "":
			v.fail(at, "subjects[%d]: subject is required", i)
		case subjects[s.Subject]:
			v.fail(at+".subject", "subject %q is mapped twice", s.Subject)
		}
		subjects[s.Subject] = true
		if s.File == "" {
			v.fail(at, "subject %q: file is required", s.Subject)
			continue
		}
		clean := filepath.Clean(filepath.FromSlash(s.File))
		if other, dup := files[clean]; dup {
			v.fail(at+".file", "file %s is mapped to both %q and %q", s.File, other, s.Subject)
		}
		files[clean] = s.Subject
		if _, err := formatOf(s); err != nil {
			v.fail(at+".format", "subject %q: %v", s.Subject, err)
		}
	}
	v.validateConsumers(cfg.Consumers)
	for i, s := range cfg.Subjects {
		for j, r := range s.References {
			at := fmt.Sprintf("$.subjects[%d].references[%d]", i, j)
			switch {
			case r.Name == "":
				v.fail(at, "subject %q: reference %d has no name", s.Subject, j)
			case r.File != "" && (r.Subject != "" || r.Version != 0):
				v.fail(at, "subject %q: reference %q names a file and a subject; give one", s.Subject, r.Name)
			case r.File != "":
				if _, ok := files[filepath.Clean(filepath.FromSlash(r.File))]; !ok {
					v.fail(at+".file", "subject %q: reference %q: file %s is not mapped to a subject in this file", s.Subject, r.Name, r.File)
				}
			case r.Subject == "":
				v.fail(at, "subject %q: reference %q needs a file, or a subject and version", s.Subject, r.Name)
			case r.Version == 0:
				v.fail(at, "subject %q: reference %q needs a version (-1 for the latest)", s.Subject, r.Name)
			}
		}
	}
}

// formatOf returns the schema format of a mapped file: its format field,
// else its extension.
func formatOf(s SubjectConfig) (schema.Format, error) {
	switch strings.ToLower(s.Format) {
	case "avro":
		return schema.Avro, nil
	case "protobuf", "proto":
		return schema.Protobuf, nil
	case "json", "jsonschema", "json-schema":
		return schema.JSON, nil
	case "":
	default:
		return "", fmt.Errorf("unknown format %q (want avro, protobuf or json)", s.Format)
	}
	switch ext := strings.ToLower(filepath.Ext(s.File)); ext {
	case ".avsc", ".avro":
		return schema.Avro, nil
	case ".proto":
		return schema.Protobuf, nil
	case ".json":
		return "", fmt.Errorf("%s may be an Avro schema or a JSON Schema; set format: json (JSON Schema) or format: avro", s.File)
	}
	return "", fmt.Errorf("cannot tell the format of %s from its extension; set format: avro, protobuf or json", s.File)
}

// consumerNameRE is the registry's rule for consumer names.
var consumerNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@:-]{0,199}$`)

// validateConsumers checks the consumers: section locally, as the registry
// would, so that a mistake is reported at its line before any write.
func (v *validator) validateConsumers(cs []ConsumerConfig) {
	names := map[string]bool{}
	for i, c := range cs {
		at := fmt.Sprintf("$.consumers[%d]", i)
		switch {
		case !consumerNameRE.MatchString(c.Name):
			v.fail(at+".name", "consumer name %q: use 1 to 200 letters, digits and . _ - @ :, starting with a letter or digit", c.Name)
		case names[c.Name]:
			v.fail(at+".name", "consumer %s is declared twice", c.Name)
		}
		names[c.Name] = true
		if strings.TrimSpace(c.Owner) == "" {
			v.fail(at, "consumer %s: owner is required (a team or contact)", c.Name)
		}
		if len(c.Reads) == 0 {
			v.fail(at, "consumer %s: reads needs at least one subject", c.Name)
		}
		subjects := map[string]bool{}
		for j, r := range c.Reads {
			rat := fmt.Sprintf("%s.reads[%d]", at, j)
			switch {
			case strings.TrimSpace(r.Subject) == "":
				v.fail(rat, "consumer %s: reads[%d]: subject is required", c.Name, j)
			case subjects[r.Subject]:
				v.fail(rat+".subject", "consumer %s lists subject %s twice; give one entry per subject", c.Name, r.Subject)
			}
			subjects[r.Subject] = true
			if (r.Reader != "") == (len(r.Fields) > 0) {
				v.fail(rat, "consumer %s reading %s: give either reader (a schema file) or fields, not both or neither", c.Name, r.Subject)
			}
			for k, f := range r.Fields {
				if strings.TrimSpace(f) == "" {
					v.fail(fmt.Sprintf("%s.fields[%d]", rat, k), "consumer %s reading %s: an empty field path", c.Name, r.Subject)
				}
			}
			if _, err := srapi.ParseBackfill(r.Backfill); err != nil {
				v.fail(rat+".backfill", "consumer %s reading %s: %v", c.Name, r.Subject, err)
			}
		}
	}
}
