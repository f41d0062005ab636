package ui

import "strings"

// rowKind classifies a row of a side-by-side diff.
type rowKind string

const (
	rowSame    rowKind = "same"
	rowRemoved rowKind = "removed" // only the old side has a line
	rowAdded   rowKind = "added"   // only the new side has a line
	rowChanged rowKind = "changed" // both sides, different text
)

// alignedRow pairs a line of the old text with a line of the new one; a
// zero line number means that side has no line in this row.
type alignedRow struct {
	Kind     rowKind
	Old, New int
}

// maxDiffCells bounds the LCS table (old lines × new lines). Beyond it
// the texts are paired line by line: still readable, and cheap.
const maxDiffCells = 4_000_000

// alignLines pairs the lines of old and new side by side using a longest
// common subsequence of lines, compared without surrounding whitespace or
// a trailing comma, so that re-indenting or appending an element does not
// hide the real change. Runs of removed
// and added lines between common lines are paired as changed rows.
func alignLines(old, new []string) []alignedRow {
	n, m := len(old), len(new)
	if n*m > maxDiffCells {
		return pairByIndex(n, m)
	}
	key := func(s string) string { return strings.TrimSuffix(strings.TrimSpace(s), ",") }
	// lcs[i][j] is the LCS length of old[i:] and new[j:].
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			switch {
			case key(old[i]) == key(new[j]):
				lcs[i][j] = lcs[i+1][j+1] + 1
			case lcs[i+1][j] >= lcs[i][j+1]:
				lcs[i][j] = lcs[i+1][j]
			default:
				lcs[i][j] = lcs[i][j+1]
			}
		}
	}
	var rows []alignedRow
	var removed, added []int
	flush := func() {
		k := 0
		for ; k < len(removed) && k < len(added); k++ {
			rows = append(rows, alignedRow{Kind: rowChanged, Old: removed[k], New: added[k]})
		}
		for _, o := range removed[k:] {
			rows = append(rows, alignedRow{Kind: rowRemoved, Old: o})
		}
		for _, a := range added[k:] {
			rows = append(rows, alignedRow{Kind: rowAdded, New: a})
		}
		removed, added = removed[:0], added[:0]
	}
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case key(old[i]) == key(new[j]):
			flush()
			kind := rowSame
			if old[i] != new[j] {
				kind = rowChanged
			}
			rows = append(rows, alignedRow{Kind: kind, Old: i + 1, New: j + 1})
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			removed = append(removed, i+1)
			i++
		default:
			added = append(added, j+1)
			j++
		}
	}
	for ; i < n; i++ {
		removed = append(removed, i+1)
	}
	for ; j < m; j++ {
		added = append(added, j+1)
	}
	flush()
	return rows
}

// pairByIndex pairs line k of each side.
func pairByIndex(n, m int) []alignedRow {
	rows := make([]alignedRow, 0, max(n, m))
	for k := 1; k <= max(n, m); k++ {
		r := alignedRow{Kind: rowChanged}
		if k <= n {
			r.Old = k
		} else {
			r.Kind = rowAdded
		}
		if k <= m {
			r.New = k
		} else {
			r.Kind = rowRemoved
		}
		rows = append(rows, r)
	}
	return rows
}
