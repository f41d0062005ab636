package ui

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/internal/registry"
)

// diffPage is the data of the Diff page.
type diffPage struct {
	Subject  string
	Versions []registry.SubjectVersion
	Cmp      *registry.VersionComparison
	Rows     []diffRow
	// Unplaced are notes with no known line on either side.
	Unplaced   []note
	Compatible bool
	Errors     int
	Warnings   int
	// Plain reports that the versions are shown as plain text paired line
	// by line, without highlighting or alignment: one of them is larger
	// than plainTextAbove.
	Plain bool
}

// diffRow is one row of the side-by-side view, with the notes placed on
// its lines.
type diffRow struct {
	Kind             rowKind
	OldNo, NewNo     int
	OldHTML, NewHTML template.HTML
	Notes            []note
	// Severity is the strongest finding on the row ("" when none).
	Severity string
}

// diff serves GET /ui/subjects/{subject}/diff?old=N&new=M: two versions
// side by side (soft-deleted ones included), lines aligned, with the
// structured diff (compat.Diff) and the findings of checking new against
// old under the subject's config (compat.Check) placed on the lines they
// concern. By default new is the latest live version and old the live
// version before it.
func (h *handler) diff(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	name := r.PathValue("subject")
	history, err := h.subjectHistory(ctx, name)
	if err != nil {
		return err
	}
	newV, err := versionParam(r, "new", registry.LatestVersion)
	if err != nil {
		return err
	}
	if newV == registry.LatestVersion {
		newV = latestLive(history).Version
	}
	oldV, err := versionParam(r, "old", 0)
	if err != nil {
		return err
	}
	if oldV == 0 {
		oldV = liveBefore(history, newV)
	}
	cmp, err := h.svc.CompareVersions(ctx, registry.CompareParams{Subject: name, Old: oldV, New: newV})
	if err != nil {
		return err
	}
	p := &diffPage{Subject: name, Versions: history, Cmp: cmp, Compatible: cmp.Result.Compatible()}
	p.Rows, p.Unplaced, p.Plain = diffRows(cmp)
	for _, f := range cmp.Result.Findings {
		if f.Severity == compat.Warning {
			p.Warnings++
		} else {
			p.Errors++
		}
	}
	h.render(w, r, http.StatusOK, "diff", p)
	return nil
}

// versionParam reads a version number query parameter; "latest" is
// registry.LatestVersion.
func versionParam(r *http.Request, name string, def int) (int, error) {
	s := r.URL.Query().Get(name)
	switch s {
	case "":
		return def, nil
	case "latest":
		return registry.LatestVersion, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, badRequest("The %s version %q is not a version number.", name, s)
	}
	return n, nil
}

// liveBefore is the live version preceding v, else v itself (a subject
// with one version is compared with itself).
func liveBefore(history []registry.SubjectVersion, v int) int {
	out := v
	for _, h := range history {
		if h.Version >= v {
			break
		}
		if !h.Deleted {
			out = h.Version
		}
	}
	return out
}

// diffRows aligns the two texts and places each change and finding on
// its row.
func diffRows(cmp *registry.VersionComparison) ([]diffRow, []note, bool) {
	oldD := layoutText(cmp.Old.Schema.Format, cmp.Old.Schema.Text)
	newD := layoutText(cmp.New.Schema.Format, cmp.New.Schema.Text)
	oldHTML, oldPlain := displayLines(cmp.Old.Schema.Format, oldD.Text)
	newHTML, newPlain := displayLines(cmp.New.Schema.Format, newD.Text)
	plain := oldPlain || newPlain
	var aligned []alignedRow
	if plain {
		aligned = pairByIndex(len(oldHTML), len(newHTML))
	} else {
		aligned = alignLines(strings.Split(oldD.Text, "\n"), strings.Split(newD.Text, "\n"))
	}

	rows := make([]diffRow, len(aligned))
	byOld, byNew := map[int]int{}, map[int]int{}
	for i, a := range aligned {
		row := diffRow{Kind: a.Kind, OldNo: a.Old, NewNo: a.New}
		if a.Old > 0 && a.Old <= len(oldHTML) {
			row.OldHTML = oldHTML[a.Old-1]
			byOld[a.Old] = i
		}
		if a.New > 0 && a.New <= len(newHTML) {
			row.NewHTML = newHTML[a.New-1]
			byNew[a.New] = i
		}
		rows[i] = row
	}
	var unplaced []note
	add := func(n note) {
		idx, ok := -1, false
		switch n.Side {
		case "new":
			idx, ok = byNew[n.Line]
		case "old":
			idx, ok = byOld[n.Line]
		}
		if !ok {
			unplaced = append(unplaced, n)
			return
		}
		rows[idx].Notes = append(rows[idx].Notes, n)
	}
	for _, f := range cmp.Result.Findings {
		add(findingNote(f, oldD, newD))
	}
	for _, c := range cmp.Changes {
		add(changeNote(c, oldD, newD))
	}
	for i := range rows {
		rows[i].Severity = worst(rows[i].Notes)
	}
	return rows, unplaced, plain
}
