package console

import (
	"errors"
	"net/http"
	"net/url"
	"slices"

	"ispit/scorer"
	"ispit/scorer/analysis"
)

// Item analysis of the multiple-choice parts: how hard each item was, whether it separated
// the stronger candidates from the weaker, how often each option was chosen, and flags on items
// that look wrong.

type itemsIndexRow struct {
	scorer.ChoicePart
	Path string
}

func (c *Console) itemsIndex(w http.ResponseWriter, r *request) {
	sn, err := c.snapshot(r.Context())
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	var rows []itemsIndexRow
	for _, p := range sn.ChoiceParts() {
		rows = append(rows, itemsIndexRow{ChoicePart: p, Path: "/items/" + url.PathEscape(p.BankID) + "/" + url.PathEscape(p.Part.ID)})
	}
	c.render(w, r.view, http.StatusOK, "items", rows)
}

type itemRow struct {
	analysis.Result
	Stem    string
	Flagged bool // a flag besides few responses
}

type itemsData struct {
	BankID  string
	Part    string
	Title   string
	Sheets  int
	Rows    []itemRow
	Flagged int
	Min     int
}

func (c *Console) itemsPage(w http.ResponseWriter, r *request) {
	sn, err := c.snapshot(r.Context())
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	bankID, partID := r.PathValue("bank"), r.PathValue("part")
	results, ok := sn.ItemAnalysis(bankID, partID)
	if !ok {
		c.status(w, r.view, http.StatusNotFound, "console.error.no_such_part")
		return
	}
	d := itemsData{BankID: bankID, Part: partID, Min: analysis.DefaultMinShown}
	for _, p := range sn.ChoiceParts() {
		if p.BankID == bankID && p.Part.ID == partID {
			d.Sheets, d.Title = p.Sheets, r.view.L.Text(p.Part.Title)
		}
	}
	content, err := c.store.BankContent(r.Context(), bankID)
	if err != nil && !errors.Is(err, scorer.ErrNotFound) {
		c.fail(w, r.view, err)
		return
	}
	for _, res := range results {
		row := itemRow{Result: res}
		if content != nil {
			if it, ok := content.Item(res.ID); ok {
				row.Stem = r.view.L.Text(it.Stem)
			}
		}
		if row.Flagged = slices.ContainsFunc(res.Flags, func(f analysis.Flag) bool { return f != analysis.FlagFewResponses }); row.Flagged {
			d.Flagged++
		}
		d.Rows = append(d.Rows, row)
	}
	c.render(w, r.view, http.StatusOK, "itemanalysis", d)
}
