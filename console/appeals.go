package console

import (
	"errors"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"

	"ispit/bank"
	"ispit/exam"
	"ispit/scorer"
	"ispit/sheet"
)

// Appeals: the secretary looks a sheet up by the receipt code the candidate holds, sees it as
// the candidate saw it and how it scored, records the appeal and the commission's decision.

type appealsData struct {
	Code     string
	Error    string
	Appeals  []scorer.AppealRecord
	OpenOnly bool
}

func (c *Console) appealsPage(w http.ResponseWriter, r *request) {
	if typed := r.URL.Query().Get("code"); typed != "" {
		code, err := sheet.NormalizeReceiptCode(typed)
		if err != nil {
			c.appealsIndex(w, r, typed, "console.appeals.bad_code", http.StatusBadRequest)
			return
		}
		http.Redirect(w, r.Request, "/appeals/"+url.PathEscape(code), http.StatusSeeOther)
		return
	}
	c.appealsIndex(w, r, "", "", http.StatusOK)
}

func (c *Console) appealsIndex(w http.ResponseWriter, r *request, code, problem string, status int) {
	sn, err := c.snapshot(r.Context())
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	appeals := slices.Clone(sn.Appeals)
	slices.SortStableFunc(appeals, func(a, b scorer.AppealRecord) int {
		return boolOrder(a.Status != scorer.AppealOpen) - boolOrder(b.Status != scorer.AppealOpen)
	})
	c.render(w, r.view, status, "appeals", appealsData{Code: code, Error: problem, Appeals: appeals})
}

func boolOrder(b bool) int {
	if b {
		return 1
	}
	return 0
}

// shownItem is one item of a sheet as the candidate saw it.
type shownItem struct {
	Number  int
	ID      string
	Kind    bank.ItemKind
	Stem    string
	Image   string // the image's address, if the item has one
	Options []shownOption
	Text    string // a written task's text
	Flagged bool
	Result  scorer.ItemResult
}

type shownOption struct {
	Letter  string
	ID      string
	Text    string
	Chosen  bool
	Correct bool
}

type appealView struct {
	*scorer.Appeal
	Path      string
	PartTitle string
	Items     []shownItem
	NoContent bool
}

type appealData struct {
	Code      string
	Sheets    []appealView
	Error     string
	ErrorFor  int64 // the appeal a decision error is about; 0 for the lodging form
	Grounds   string
	Reasons   string
	Published bool
}

func (c *Console) appealData(r *request, code string) (appealData, bool, error) {
	sn, err := c.snapshot(r.Context())
	if err != nil {
		return appealData{}, false, err
	}
	d := appealData{Code: code}
	for _, a := range sn.LookUp(code) {
		v := appealView{Appeal: a, Path: "/appeals/" + url.PathEscape(code)}
		content, err := c.store.BankContent(r.Context(), a.Sheet.BankID)
		switch {
		case errors.Is(err, scorer.ErrNotFound):
			v.NoContent = true
		case err != nil:
			return d, false, err
		}
		if key, ok := sn.Keys[a.Sheet.BankID]; ok {
			for _, p := range key.Parts {
				if p.ID == a.Sheet.Part {
					v.PartTitle = r.view.L.Text(p.Title, a.Sheet.Language)
				}
			}
		}
		v.Items = shownItems(a, content, v.Path)
		for i := range v.Appeals {
			v.Appeals[i].LodgedBy = c.fullName(r, v.Appeals[i].LodgedBy)
			v.Appeals[i].DecidedBy = c.fullName(r, v.Appeals[i].DecidedBy)
		}
		d.Sheets = append(d.Sheets, v)
	}
	return d, len(d.Sheets) > 0, nil
}

// shownItems lays a sheet out as the candidate saw it: items and options in the order shown,
// in the candidate's language, with the answers given and how each item scored.
func shownItems(a *scorer.Appeal, content *scorer.BankContent, base string) []shownItem {
	lang := a.Sheet.Language
	var out []shownItem
	for i, si := range a.Sheet.Items {
		it := shownItem{Number: i + 1, ID: si.ID, Text: si.Text, Flagged: si.Flagged}
		if a.Score != nil && i < len(a.Score.Items) {
			it.Result = a.Score.Items[i]
			it.Kind = it.Result.Kind
		}
		var item *bank.Item
		if content != nil {
			item, _ = content.Item(si.ID)
		}
		if item != nil {
			it.Kind = item.Kind
			it.Stem = item.Stem[lang]
			if item.Kind == bank.ItemWritten {
				it.Stem = item.Prompt[lang]
			}
			if item.Image != "" {
				it.Image = base + "/image/" + url.PathEscape(a.Sheet.BankID) + "/" + url.PathEscape(path.Base(item.Image))
			}
		}
		it.Options = shownOptions(si, item, it.Result, lang)
		out = append(out, it)
	}
	return out
}

func shownOptions(si exam.SheetItem, item *bank.Item, res scorer.ItemResult, lang string) []shownOption {
	order := si.Options
	if len(order) == 0 && item != nil {
		for _, o := range item.Options {
			order = append(order, o.ID)
		}
	}
	var out []shownOption
	for j, id := range order {
		o := shownOption{Letter: string(rune('A' + j)), ID: id, Chosen: si.Answer == id,
			Correct: id == res.CorrectOption || slices.Contains(res.Accepted, id)}
		if item != nil {
			for _, bo := range item.Options {
				if bo.ID == id {
					o.Text = bo.Text[lang]
				}
			}
		}
		out = append(out, o)
	}
	return out
}

func (c *Console) appealPage(w http.ResponseWriter, r *request) {
	code, err := sheet.NormalizeReceiptCode(r.PathValue("code"))
	if err != nil {
		c.appealsIndex(w, r, r.PathValue("code"), "console.appeals.bad_code", http.StatusBadRequest)
		return
	}
	d, ok, err := c.appealData(r, code)
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	if !ok {
		c.appealsIndex(w, r, code, "console.appeals.not_found", http.StatusNotFound)
		return
	}
	c.render(w, r.view, http.StatusOK, "appeal", d)
}

func (c *Console) appealImage(w http.ResponseWriter, r *request) {
	content, err := c.store.BankContent(r.Context(), r.PathValue("bank"))
	if err != nil {
		http.NotFound(w, r.Request)
		return
	}
	data, ok := content.Images["images/"+r.PathValue("name")]
	if !ok {
		http.NotFound(w, r.Request)
		return
	}
	w.Header().Set("Content-Type", http.DetectContentType(data))
	w.Write(data)
}

// postedAppeal finds the sheets of the receipt code a form is posted to, or answers that it
// cannot.
func (c *Console) postedAppeal(w http.ResponseWriter, r *request) (string, appealData, bool) {
	code, err := sheet.NormalizeReceiptCode(r.PathValue("code"))
	if err != nil {
		c.status(w, r.view, http.StatusNotFound, "console.appeals.no_such")
		return "", appealData{}, false
	}
	d, ok, err := c.appealData(r, code)
	switch {
	case err != nil:
		c.fail(w, r.view, err)
	case !ok:
		c.status(w, r.view, http.StatusNotFound, "console.appeals.no_such")
	}
	return code, d, err == nil && ok
}

func (c *Console) lodgeAppeal(w http.ResponseWriter, r *request) {
	code, d, ok := c.postedAppeal(w, r)
	if !ok {
		return
	}
	grounds, problem := parseAppealForm(r.PostForm)
	sheetID := r.PostForm.Get("sheet")
	var target *scorer.Appeal
	for _, v := range d.Sheets {
		if v.SheetID == sheetID {
			target = v.Appeal
		}
	}
	if target == nil {
		problem = "console.error.bad_form"
	}
	if problem != "" {
		d.Error, d.Grounds = problem, r.PostForm.Get("grounds")
		c.render(w, r.view, http.StatusBadRequest, "appeal", d)
		return
	}
	now := c.cfg.Now()
	a := scorer.AppealRecord{ReceiptCode: code, SheetID: target.SheetID, Lodged: now, LodgedBy: r.user.Name, Grounds: grounds, Status: scorer.AppealOpen}
	if err := a.Validate(); err != nil {
		c.fail(w, r.view, err)
		return
	}
	audit := scorer.Audit(r.user.Name, scorer.AuditAppealLodged, code, now, map[string]string{"sheet": a.SheetID, "grounds": grounds})
	if _, err := c.store.AddAppeal(r.Context(), a, audit); err != nil {
		c.fail(w, r.view, err)
		return
	}
	c.flash(w, "console.appeals.lodged_now")
	http.Redirect(w, r.Request, "/appeals/"+url.PathEscape(code), http.StatusSeeOther)
}

func (c *Console) decideAppeal(w http.ResponseWriter, r *request) {
	code, d, ok := c.postedAppeal(w, r)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || !appealOf(d, id) {
		c.status(w, r.view, http.StatusNotFound, "console.appeals.no_such")
		return
	}
	status, reasons, problem := parseDecisionForm(r.PostForm)
	if problem != "" {
		d.Error, d.ErrorFor, d.Reasons = problem, id, r.PostForm.Get("reasons")
		c.render(w, r.view, http.StatusBadRequest, "appeal", d)
		return
	}
	now := c.cfg.Now()
	dec := scorer.AppealDecision{Status: status, Reasons: reasons, By: r.user.Name, At: now}
	audit := scorer.Audit(r.user.Name, scorer.AuditAppealDecided, code, now, map[string]string{"appeal": strconv.FormatInt(id, 10), "decision": string(status), "reasons": reasons})
	switch err := c.store.DecideAppeal(r.Context(), id, dec, audit); {
	case errors.Is(err, scorer.ErrConflict):
		c.status(w, r.view, http.StatusConflict, "console.appeals.decided_already")
		return
	case err != nil:
		c.fail(w, r.view, err)
		return
	}
	c.flash(w, "console.appeals.decided")
	http.Redirect(w, r.Request, "/appeals/"+url.PathEscape(code), http.StatusSeeOther)
}

// appealOf reports whether an appeal is one of the looked-up sheets'.
func appealOf(d appealData, id int64) bool {
	for _, v := range d.Sheets {
		for _, a := range v.Appeals {
			if a.ID == id {
				return true
			}
		}
	}
	return false
}
