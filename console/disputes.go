package console

import (
	"fmt"
	"net/http"

	"ispit/scorer"
)

// Disputes: written tasks whose graders differ by more than the rules allow go to the
// secretary, who asks a further grader or records a decision.

type dispute struct {
	Task   scorer.Task
	Grades []scorer.GraderPoints
	Spread int
	Path   string
}

type disputesData struct {
	Limit    int
	Disputes []dispute
	Error    string
	ErrorMax int
	Failed   string // the path of the dispute the error is about
}

func (c *Console) disputesData(sn *scorer.Snapshot) disputesData {
	d := disputesData{Limit: sn.Rules.Disagreement}
	for _, t := range sn.Disputes() {
		bs, _ := sn.SheetByScript(t.Script)
		for _, ir := range bs.Result.Items {
			if ir.ID == t.ItemID {
				d.Disputes = append(d.Disputes, dispute{Task: t, Grades: ir.Grades, Spread: scorer.Spread(ir.Grades), Path: "/disputes/" + t.Script + "/" + t.ItemID})
			}
		}
	}
	return d
}

func (c *Console) disputesPage(w http.ResponseWriter, r *request) {
	sn, err := c.snapshot(r.Context())
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	c.render(w, r.view, http.StatusOK, "disputes", c.disputesData(sn))
}

func (c *Console) resolve(w http.ResponseWriter, r *request) {
	sn, err := c.snapshot(r.Context())
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	code, _ := scorer.NormalizeScriptCode(r.PathValue("script"))
	var found *dispute
	d := c.disputesData(sn)
	for i := range d.Disputes {
		if d.Disputes[i].Task.Script == code && d.Disputes[i].Task.ItemID == r.PathValue("item") {
			found = &d.Disputes[i]
		}
	}
	if found == nil {
		c.status(w, r.view, http.StatusNotFound, "console.disputes.gone")
		return
	}
	form, problem := parseResolutionForm(r.PostForm, found.Task.MaxPoints)
	if problem != "" {
		d.Error, d.ErrorMax, d.Failed = problem, found.Task.MaxPoints, found.Path
		c.render(w, r.view, http.StatusBadRequest, "disputes", d)
		return
	}
	bs, _ := sn.SheetByScript(code)
	now := c.cfg.Now()
	res := scorer.Resolution{SheetID: bs.Record.SheetID, ItemID: found.Task.ItemID, Kind: form.Kind, Note: form.Note, By: r.user.Name, At: now}
	detail := map[string]string{"script": code, "item": res.ItemID, "sheet": res.SheetID, "kind": string(res.Kind), "note": res.Note}
	if form.Kind == scorer.ResolveDecision {
		res.Points = form.Points
		detail["points"] = fmt.Sprint(res.Points)
	} else {
		res.Graders = found.Task.Graders + 1
		detail["graders"] = fmt.Sprint(res.Graders)
	}
	if err := res.Validate(sn.Keys[bs.Record.BankID].AnswerKey, bs.Sheet); err != nil {
		c.fail(w, r.view, err)
		return
	}
	audit := scorer.Audit(r.user.Name, scorer.AuditResolution, "script "+code+" task "+res.ItemID, now, detail)
	if err := c.store.PutResolution(r.Context(), res, audit); err != nil {
		c.fail(w, r.view, err)
		return
	}
	c.flash(w, "console.disputes.resolved")
	http.Redirect(w, r.Request, "/disputes", http.StatusSeeOther)
}
