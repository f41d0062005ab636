package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/schemata-dev/schemata/compat"
)

// writeGitHub renders each finding as a GitHub Actions workflow command
// (::error or ::warning with file, line, col and the rule ID as title), so
// findings appear as annotations on the pull request's diff.
func writeGitHub(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	for _, s := range r.Subjects {
		if s.Status == StatusError {
			fmt.Fprintf(bw, "::error %s::%s\n", ghProps("file", s.File, "title", "schemactl: "+s.Subject),
				ghData(s.Message))
		}
		for _, f := range s.Findings {
			cmd := "error"
			if f.Severity == compat.Warning {
				cmd = "warning"
			}
			props := []string{"file", s.File}
			if f.Line > 0 {
				props = append(props, "line", strconv.Itoa(f.Line))
				if f.Column > 0 {
					props = append(props, "col", strconv.Itoa(f.Column))
				}
			}
			props = append(props, "title", f.RuleID)
			fmt.Fprintf(bw, "::%s %s::%s\n", cmd, ghProps(props...), ghData(s.Subject+": "+f.String()))
		}
		if note := s.truncatedNote(); note != "" {
			fmt.Fprintf(bw, "::warning %s::%s\n", ghProps("file", s.File, "title", "schemactl: "+s.Subject),
				ghData(s.Subject+": "+note))
		}
	}
	fmt.Fprintln(bw, r.Count())
	return bw.Flush()
}

// ghData escapes a workflow command's message.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProps renders key=value pairs, escaped as workflow command properties.
func ghProps(kv ...string) string {
	esc := strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
	parts := make([]string, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		parts = append(parts, kv[i]+"="+esc.Replace(kv[i+1]))
	}
	return strings.Join(parts, ",")
}

// WriteMarkdownSummary renders r as the Markdown that GitHub shows on a
// workflow run's summary page (the file named by $GITHUB_STEP_SUMMARY).
func WriteMarkdownSummary(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "### schemactl %s\n\n", r.Command)
	if r.Against != "" {
		fmt.Fprintf(bw, "Against %s. ", mdEscape(r.Against))
	}
	fmt.Fprintf(bw, "%s.\n\n", r.Count())
	if len(r.Subjects) > 0 {
		bw.WriteString("| Subject | File | Status | Errors | Warnings |\n|---|---|---|--:|--:|\n")
		for _, s := range r.Subjects {
			var errs, warns int
			for _, f := range s.Findings {
				if f.Severity == compat.Warning {
					warns++
				} else {
					errs++
				}
			}
			fmt.Fprintf(bw, "| `%s` | `%s` | %s %s | %d | %d |\n",
				mdEscape(s.Subject), mdEscape(s.File), statusMark(s.Status), s.Status, errs, warns)
		}
	}
	for _, s := range r.Subjects {
		if len(s.Findings) == 0 && s.Message == "" && s.Truncated == 0 {
			continue
		}
		fmt.Fprintf(bw, "\n#### `%s`\n\n", mdEscape(s.Subject))
		if s.Message != "" {
			fmt.Fprintf(bw, "%s\n", mdEscape(s.Message))
			if len(s.Findings) > 0 {
				bw.WriteByte('\n')
			}
		}
		for _, f := range s.Findings {
			sev := ""
			if f.Severity == compat.Warning {
				sev = " (warning)"
			}
			fmt.Fprintf(bw, "- `%s` **%s**%s: %s\n", mdEscape(f.location(s.File)), f.RuleID, sev, mdEscape(f.String()))
		}
		if note := s.truncatedNote(); note != "" {
			fmt.Fprintf(bw, "- %s\n", note)
		}
	}
	return bw.Flush()
}

func statusMark(s Status) string {
	switch s {
	case StatusIncompatible, StatusInvalid, StatusError:
		return "❌"
	case StatusNew:
		return "🆕"
	}
	return "✅"
}

// mdEscape keeps table cells and list items intact.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "\r", "").Replace(s)
}
