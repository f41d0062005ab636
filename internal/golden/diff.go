package golden

import (
	"fmt"
	"strings"
)

// context is how many unchanged lines Diff shows around a change.
const context = 2

// maxCells bounds the table of the longest common subsequence; beyond it
// Diff reports the first differing line only, which is enough to find
// the change and keeps a failing test from exhausting memory.
const maxCells = 4 << 20

// Diff renders the line differences between want and got: lines only in
// want start with "-", lines only in got with "+", and each hunk starts
// with the line numbers it covers. Equal inputs give "".
func Diff(want, got string) string {
	if want == got {
		return ""
	}
	a, b := splitLines(want), splitLines(got)
	if len(a)*len(b) > maxCells {
		return firstDifference(a, b)
	}
	ops := editScript(a, b)
	var out strings.Builder
	for start := 0; start < len(ops); {
		// Find the next change and the run of changes (with short equal
		// stretches between them) that forms one hunk.
		for start < len(ops) && ops[start].kind == ' ' {
			start++
		}
		if start == len(ops) {
			break
		}
		end := start
		for i := start; i < len(ops); i++ {
			if ops[i].kind != ' ' {
				end = i + 1
			} else if i-end >= 2*context {
				break
			}
		}
		from, to := max(start-context, 0), min(end+context, len(ops))
		fmt.Fprintf(&out, "@@ want line %d, got line %d @@\n", ops[from].a+1, ops[from].b+1)
		for _, op := range ops[from:to] {
			out.WriteString(string(op.kind) + op.text + "\n")
		}
		start = to
	}
	if strings.HasSuffix(want, "\n") != strings.HasSuffix(got, "\n") {
		out.WriteString("(the two differ in the final newline)\n")
	}
	return out.String()
}

// edit is one line of an edit script: kind is ' ' (in both), '-' (only
// in want) or '+' (only in got); a and b are the line's indexes in want
// and got (the next line's, for the side that lacks it).
type edit struct {
	kind rune
	text string
	a, b int
}

// editScript turns a into b through a longest common subsequence.
func editScript(a, b []string) []edit {
	// lcs[i][j] is the length of the LCS of a[i:] and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var ops []edit
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			ops = append(ops, edit{' ', a[i], i, j})
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || lcs[i+1][j] >= lcs[i][j+1]):
			// Deletions first, as unified diffs show a replaced line.
			ops = append(ops, edit{'-', a[i], i, j})
			i++
		default:
			ops = append(ops, edit{'+', b[j], i, j})
			j++
		}
	}
	return ops
}

// firstDifference reports the first line where a and b differ.
func firstDifference(a, b []string) string {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	line := func(s []string) string {
		if n < len(s) {
			return s[n]
		}
		return "(end of output)"
	}
	return fmt.Sprintf("@@ first difference at line %d @@\n-%s\n+%s\n", n+1, line(a), line(b))
}

// splitLines splits s into lines without their terminators.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}
