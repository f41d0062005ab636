package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/schemata-dev/schemata/compat"
)

// ANSI escapes used by colour text output.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

// painter wraps text in ANSI escapes when colour is on.
type painter bool

func (p painter) paint(code, s string) string {
	if !p || s == "" {
		return s
	}
	return code + s + ansiReset
}

// writeText renders one header line per subject followed by its findings,
// one per line as file:line:col: message (RULE_ID), and a closing count.
func writeText(w io.Writer, r *Report, opts Options) error {
	bw := bufio.NewWriter(w)
	p := painter(opts.Color)
	for _, s := range r.Subjects {
		fmt.Fprintf(bw, "%s (%s): %s", p.paint(ansiBold, s.Subject), s.File, p.paint(statusColor(s.Status), string(s.Status)))
		if s.Message != "" {
			fmt.Fprintf(bw, ": %s", s.Message)
		}
		bw.WriteByte('\n')
		for _, f := range s.Findings {
			fmt.Fprintf(bw, "%s: ", f.location(s.File))
			if f.Severity == compat.Warning {
				bw.WriteString(p.paint(ansiYellow, "warning") + ": ")
			}
			msg := oneLine(f.Message)
			if f.Path != "" {
				msg = p.paint(ansiCyan, f.Path) + ": " + msg
			}
			fmt.Fprintf(bw, "%s %s%s\n", msg, p.paint(ansiDim, "("+f.RuleID+")"), f.removedNote())
		}
		if s.Truncated > 0 {
			fmt.Fprintf(bw, "%s: %s\n", s.File, s.truncatedNote())
		}
	}
	if len(r.Subjects) > 0 {
		bw.WriteByte('\n')
	}
	fmt.Fprintln(bw, r.Count())
	return bw.Flush()
}

// oneLine keeps a finding on its line, as tools that parse
// file:line:col: output expect.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}

func statusColor(s Status) string {
	switch s {
	case StatusIncompatible, StatusInvalid, StatusError:
		return ansiRed
	case StatusNew:
		return ansiYellow
	}
	return ansiGreen
}
