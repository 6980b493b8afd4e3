package console

import (
	"maps"
	"net/http"
	"slices"
	"strconv"

	"ispit/scorer"
)

// The audit log: every change, sign-in and sign-out, newest first, a page at a time, with
// whether the log's hash chain holds.

const auditPageSize = 100

type auditRow struct {
	scorer.AuditEntry
	Keys []string // the detail's keys, in order
}

type auditData struct {
	Rows   []auditRow
	Older  int64 // the "before" of the next page, 0 when none
	Total  int
	Broken int64 // the first entry whose hash does not chain, 0 when the chain holds
}

func (c *Console) auditPage(w http.ResponseWriter, r *request) {
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	all, err := c.store.Audit(r.Context(), 0, 1<<30)
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	chain := slices.Clone(all)
	slices.Reverse(chain)
	d := auditData{Total: len(all), Broken: scorer.VerifyAuditChain(chain)}
	for _, e := range all {
		if before > 0 && e.Seq >= before {
			continue
		}
		if len(d.Rows) == auditPageSize {
			d.Older = d.Rows[len(d.Rows)-1].Seq
			break
		}
		d.Rows = append(d.Rows, auditRow{AuditEntry: e, Keys: slices.Sorted(maps.Keys(e.Detail))})
	}
	c.render(w, r.view, http.StatusOK, "audit", d)
}
