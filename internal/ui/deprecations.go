package ui

import (
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/schemata-dev/schemata/internal/registry"
)

// deprecationsPage is the data of the Deprecations page.
type deprecationsPage struct {
	Prefix      string
	Owner       string
	OverdueOnly bool
	Report      *registry.DeprecationReport
	Groups      []ownerGroup
	// Items, Overdue and Removable count distinct deprecated elements:
	// Overdue those past their date that consumers still read, Removable
	// those past their date that nobody reads.
	Items     int
	Overdue   int
	Removable int
}

// ownerGroup is the deprecated elements that one owner's consumers still
// read; the group with an empty Owner holds those no consumer reads.
type ownerGroup struct {
	Owner string
	Items []registry.ReportItem
	// Overdue counts the items past their date and still read.
	Overdue int
}

// deprecations serves GET /ui/deprecations: the deprecation report
// (query parameters prefix, owner and overdue=1 filter it) grouped by the
// owners of the consumers still reading each element, most urgent first,
// with the days left before each element may be removed.
func (h *handler) deprecations(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := h.opts.Authorizer(ctx, Read, ""); err != nil {
		return err
	}
	q := r.URL.Query()
	p := &deprecationsPage{
		Prefix: strings.TrimSpace(q.Get("prefix")), Owner: strings.TrimSpace(q.Get("owner")),
		OverdueOnly: q.Get("overdue") != "",
	}
	rep, err := h.svc.DeprecationReport(ctx, registry.ReportParams{SubjectPrefix: p.Prefix, Owner: p.Owner, OverdueOnly: p.OverdueOnly})
	if err != nil {
		return err
	}
	p.Report = rep
	groups := map[string]*ownerGroup{}
	for _, it := range rep.Items {
		if !h.can(ctx, Read, it.Subject) {
			continue
		}
		p.Items++
		switch it.Status {
		case registry.StatusOverdue:
			p.Overdue++
		case registry.StatusRemovable:
			p.Removable++
		}
		var owners []string
		for _, c := range it.Consumers {
			if !slices.Contains(owners, c.Owner) && (p.Owner == "" || c.Owner == p.Owner) {
				owners = append(owners, c.Owner)
			}
		}
		if len(owners) == 0 {
			owners = []string{""}
		}
		for _, o := range owners {
			g := groups[o]
			if g == nil {
				g = &ownerGroup{Owner: o}
				groups[o] = g
			}
			g.Items = append(g.Items, it)
			if it.Status == registry.StatusOverdue {
				g.Overdue++
			}
		}
	}
	for _, g := range groups {
		sort.SliceStable(g.Items, func(i, j int) bool { return g.Items[i].DaysLeft < g.Items[j].DaysLeft })
		p.Groups = append(p.Groups, *g)
	}
	// Owners in name order; elements nobody reads come last.
	sort.Slice(p.Groups, func(i, j int) bool {
		a, b := p.Groups[i].Owner, p.Groups[j].Owner
		if (a == "") != (b == "") {
			return b == ""
		}
		return a < b
	})
	h.render(w, r, http.StatusOK, "deprecations", p)
	return nil
}
