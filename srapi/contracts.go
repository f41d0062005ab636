package srapi

// Metadata is the metadata of a Confluent data contract: the "metadata"
// of every schema-carrying body, and defaultMetadata and overrideMetadata
// in config.
type Metadata struct {
	// Tags maps a schema path to the tags on it, e.g.
	// {"Order.email": ["PII"]}.
	Tags map[string][]string `json:"tags,omitempty"`
	// Properties are free key-value pairs. "confluent:reserved" lists
	// reserved field names (comma-separated), checked under
	// validateFields.
	Properties map[string]string `json:"properties,omitempty"`
	// Sensitive names properties whose values are secrets.
	Sensitive []string `json:"sensitive,omitempty"`
}

// RuleSet is the rule set of a Confluent data contract: the "ruleSet" of
// every schema-carrying body, and defaultRuleSet and overrideRuleSet in
// config.
type RuleSet struct {
	// MigrationRules run between versions (modes UPGRADE, DOWNGRADE,
	// UPDOWN).
	MigrationRules []Rule `json:"migrationRules,omitempty"`
	// DomainRules and EncodingRules run on read and write (modes WRITE,
	// READ, WRITEREAD).
	DomainRules   []Rule `json:"domainRules,omitempty"`
	EncodingRules []Rule `json:"encodingRules,omitempty"`
}

// Rule is one data-contract rule. The registry stores rules and returns
// them; the clients' serializers execute them.
type Rule struct {
	// Name is unique within a rule set: a letter or "_", then letters,
	// digits or "_".
	Name string `json:"name"`
	Doc  string `json:"doc,omitempty"`
	// Kind is RuleKindCondition or RuleKindTransform (the default).
	Kind string `json:"kind,omitempty"`
	// Mode is one of the RuleMode constants; WRITEREAD by default.
	Mode string `json:"mode,omitempty"`
	// Type names the executor, e.g. "CEL", "ENCRYPT".
	Type      string            `json:"type"`
	Tags      []string          `json:"tags,omitempty"`
	Params    map[string]string `json:"params,omitempty"`
	Expr      string            `json:"expr,omitempty"`
	OnSuccess string            `json:"onSuccess,omitempty"`
	OnFailure string            `json:"onFailure,omitempty"`
	Disabled  bool              `json:"disabled,omitempty"`
}

// Rule kinds.
const (
	RuleKindCondition = "CONDITION"
	RuleKindTransform = "TRANSFORM"
)

// Rule modes: the first three for migration rules, the last three for
// domain and encoding rules.
const (
	RuleModeUpgrade   = "UPGRADE"
	RuleModeDowngrade = "DOWNGRADE"
	RuleModeUpDown    = "UPDOWN"
	RuleModeWrite     = "WRITE"
	RuleModeRead      = "READ"
	RuleModeWriteRead = "WRITEREAD"
)

// ReservedProperty is the metadata property listing reserved field names.
const ReservedProperty = "confluent:reserved"
