package report

import (
	"encoding/json"
	"io"
	"sort"

	"github.com/schemata-dev/schemata/compat"
)

// SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format), the
// subset code-scanning tools read: one run whose driver lists the rules
// the results use (ID, purpose, categories as tags), and one result per
// finding with its physical location in the schema file and its schema
// path as a logical location.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool        sarifTool         `json:"tool"`
		Invocations []sarifInvocation `json:"invocations"`
		Results     []sarifResult     `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string             `json:"id"`
		ShortDescription     sarifMessage       `json:"shortDescription"`
		DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
		Properties           sarifRuleProps     `json:"properties"`
	}
	sarifConfiguration struct {
		Level string `json:"level"`
	}
	sarifRuleProps struct {
		Tags   []string `json:"tags,omitempty"`
		Format string   `json:"format,omitempty"`
	}
	sarifMessage struct {
		Text string `json:"text"`
	}
	sarifInvocation struct {
		ExecutionSuccessful bool                `json:"executionSuccessful"`
		Notifications       []sarifNotification `json:"toolExecutionNotifications,omitempty"`
	}
	sarifNotification struct {
		Level     string          `json:"level"`
		Message   sarifMessage    `json:"message"`
		Locations []sarifLocation `json:"locations,omitempty"`
	}
	sarifResult struct {
		RuleID     string           `json:"ruleId"`
		RuleIndex  int              `json:"ruleIndex"`
		Level      string           `json:"level"`
		Message    sarifMessage     `json:"message"`
		Locations  []sarifLocation  `json:"locations"`
		Properties sarifResultProps `json:"properties"`
	}
	sarifResultProps struct {
		Subject   string `json:"subject"`
		Version   int    `json:"version,omitempty"`
		Direction string `json:"direction,omitempty"`
		Consumer  string `json:"consumer,omitempty"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical  `json:"physicalLocation"`
		LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           *sarifRegion  `json:"region,omitempty"`
	}
	sarifArtifact struct {
		URI string `json:"uri"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
	}
	sarifLogical struct {
		FullyQualifiedName string `json:"fullyQualifiedName"`
	}
)

const sarifSchemaURI = "https://json.schemastore.org/sarif-2.1.0.json"

// schemaInvalidRule describes RuleSchemaInvalid, which compat does not
// own.
var schemaInvalidRule = compat.Rule{
	ID:       RuleSchemaInvalid,
	Purpose:  "A schema must parse and validate in its format before it can be checked.",
	Severity: compat.Error,
}

func writeSARIF(w io.Writer, r *Report, opts Options) error {
	ids := map[string]bool{}
	for _, s := range r.Subjects {
		for _, f := range s.Findings {
			ids[f.RuleID] = true
		}
	}
	sorted := make([]string, 0, len(ids))
	for id := range ids {
		sorted = append(sorted, id)
	}
	sort.Strings(sorted)
	index := make(map[string]int, len(sorted))
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: "schemactl", Version: opts.ToolVersion,
			InformationURI: "https://github.com/schemata-dev/schemata",
			Rules:          make([]sarifRule, 0, len(sorted)),
		}},
		Invocations: []sarifInvocation{{ExecutionSuccessful: true}},
		Results:     []sarifResult{},
	}
	for i, id := range sorted {
		index[id] = i
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleFor(id, opts.LookupRule))
	}
	for _, s := range r.Subjects {
		if s.Status == StatusError {
			run.Invocations[0].ExecutionSuccessful = false
			run.Invocations[0].Notifications = append(run.Invocations[0].Notifications, sarifNotification{
				Level: "error", Message: sarifMessage{Text: s.Subject + ": " + s.Message},
				Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: s.File}}}},
			})
		}
		if note := s.truncatedNote(); note != "" {
			// Not results: the findings left out are unknown, only counted.
			run.Invocations[0].Notifications = append(run.Invocations[0].Notifications, sarifNotification{
				Level: "warning", Message: sarifMessage{Text: s.Subject + ": " + note},
				Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: s.File}}}},
			})
		}
		for _, f := range s.Findings {
			loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: s.File}}}
			if f.Line > 0 {
				loc.PhysicalLocation.Region = &sarifRegion{StartLine: f.Line, StartColumn: f.Column}
			}
			if f.Path != "" {
				loc.LogicalLocations = []sarifLogical{{FullyQualifiedName: f.Path}}
			}
			run.Results = append(run.Results, sarifResult{
				RuleID: f.RuleID, RuleIndex: index[f.RuleID], Level: sarifLevel(f.Severity),
				Message:    sarifMessage{Text: f.String()},
				Locations:  []sarifLocation{loc},
				Properties: sarifResultProps{Subject: s.Subject, Version: f.Version, Direction: string(f.Direction), Consumer: f.Consumer},
			})
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: sarifSchemaURI, Version: "2.1.0", Runs: []sarifRun{run}})
}

func sarifRuleFor(id string, lookup func(string) (compat.Rule, bool)) sarifRule {
	rule, ok := lookup(id)
	if !ok && id == RuleSchemaInvalid {
		rule, ok = schemaInvalidRule, true
	}
	if !ok {
		return sarifRule{ID: id, ShortDescription: sarifMessage{Text: id}, DefaultConfiguration: sarifConfiguration{Level: "error"}}
	}
	tags := make([]string, len(rule.Categories))
	for i, c := range rule.Categories {
		tags[i] = string(c)
	}
	return sarifRule{
		ID:                   rule.ID,
		ShortDescription:     sarifMessage{Text: rule.Purpose},
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(rule.Severity)},
		Properties:           sarifRuleProps{Tags: tags, Format: string(rule.Format)},
	}
}

func sarifLevel(s compat.Severity) string {
	if s == compat.Warning {
		return "warning"
	}
	return "error"
}
