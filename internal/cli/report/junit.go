package report

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"

	"github.com/schemata-dev/schemata/compat"
)

// JUnit XML, in the shape Jenkins, GitLab and most CI dashboards read:
// a testsuite per subject, a testcase per finding. Error findings fail
// their testcase; an invalid schema or a subject that could not be
// checked is an <error>; warnings pass and carry their text in
// <system-out>; a subject without findings is one passing testcase.
type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name       string          `xml:"name,attr"`
		Tests      int             `xml:"tests,attr"`
		Failures   int             `xml:"failures,attr"`
		Errors     int             `xml:"errors,attr"`
		Properties []junitProperty `xml:"properties>property,omitempty"`
		Cases      []junitCase     `xml:"testcase"`
		// SystemOut says how many findings were left out, when some were.
		SystemOut string `xml:"system-out,omitempty"`
	}
	junitProperty struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	}
	junitCase struct {
		Name      string        `xml:"name,attr"`
		Classname string        `xml:"classname,attr"`
		File      string        `xml:"file,attr,omitempty"`
		Line      int           `xml:"line,attr,omitempty"`
		Failure   *junitProblem `xml:"failure,omitempty"`
		Error     *junitProblem `xml:"error,omitempty"`
		SystemOut string        `xml:"system-out,omitempty"`
	}
	junitProblem struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
)

func writeJUnit(w io.Writer, r *Report) error {
	doc := junitSuites{Name: strings.TrimSpace("schemactl " + r.Command)}
	for _, s := range r.Subjects {
		suite := junitSuite{
			Name:       s.Subject,
			Properties: []junitProperty{{"file", s.File}, {"format", s.Format}, {"status", string(s.Status)}},
		}
		if r.Against != "" {
			suite.Properties = append(suite.Properties, junitProperty{"against", r.Against})
		}
		if note := s.truncatedNote(); note != "" {
			// Findings left out are no testcases: counted, not invented.
			suite.Properties = append(suite.Properties, junitProperty{"truncated", strconv.Itoa(s.Truncated)})
			suite.SystemOut = s.File + ": " + note
		}
		switch {
		case s.Status == StatusError:
			suite.Cases = append(suite.Cases, junitCase{
				Name: "check", Classname: s.Subject, File: s.File,
				Error: &junitProblem{Message: s.Message, Type: "schemactl", Text: s.Message},
			})
		case len(s.Findings) == 0:
			suite.Cases = append(suite.Cases, junitCase{
				Name: string(s.Status), Classname: s.Subject, File: s.File, SystemOut: s.Message,
			})
		}
		for _, f := range s.Findings {
			c := junitCase{Name: caseName(f), Classname: s.Subject, File: s.File, Line: f.Line}
			text := f.location(s.File) + ": " + f.String()
			switch {
			case f.RuleID == RuleSchemaInvalid:
				c.Error = &junitProblem{Message: f.String(), Type: f.RuleID, Text: text}
			case f.Severity == compat.Warning:
				c.SystemOut = "warning: " + text
			default:
				c.Failure = &junitProblem{Message: f.String(), Type: f.RuleID, Text: text}
			}
			suite.Cases = append(suite.Cases, c)
		}
		for _, c := range suite.Cases {
			suite.Tests++
			if c.Failure != nil {
				suite.Failures++
			}
			if c.Error != nil {
				suite.Errors++
			}
		}
		doc.Tests += suite.Tests
		doc.Failures += suite.Failures
		doc.Errors += suite.Errors
		doc.Suites = append(doc.Suites, suite)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// caseName names a finding's testcase: rule ID and schema path.
func caseName(f Finding) string {
	if f.Path == "" {
		return f.RuleID
	}
	return f.RuleID + " " + f.Path
}
