package console

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"ispit/scorer"
)

// Blind grading: a grader sees scripts by their anonymous code only, never a candidate's
// name, code, terminal or sheet id, and never another grader's points.

type queueData struct {
	Queue scorer.GraderQueue
}

func (c *Console) gradingQueue(w http.ResponseWriter, r *request) {
	sn, err := c.snapshot(r.Context())
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	c.render(w, r.view, http.StatusOK, "grading", queueData{Queue: sn.Queue(r.user.Name)})
}

// gradeData is everything the grading screen shows of one task: nothing that names the
// candidate.
type gradeData struct {
	Task        scorer.Task
	Language    string // the script's language, for the prompt and the lang attribute
	Prompt      string
	WordLimit   int
	Text        string
	Guide       string
	ModelAnswer string
	Points      string // the points field as entered or stored
	Comment     string
	Error       string
	ErrorMax    int
	NotNeeded   bool // the task has its graders and this grader is not one of them
}

// task finds a script's task for a grader, and says which status to answer when it cannot.
func (c *Console) task(sn *scorer.Snapshot, grader, script, item string) (*scorer.BoardSheet, scorer.Task, bool) {
	code, ok := scorer.NormalizeScriptCode(script)
	if !ok {
		return nil, scorer.Task{}, false
	}
	bs, ok := sn.SheetByScript(code)
	if !ok {
		return nil, scorer.Task{}, false
	}
	t, ok := sn.Task(grader, code, item)
	return bs, t, ok
}

// requestedTask finds the task a grading address names, or answers that it cannot.
func (c *Console) requestedTask(w http.ResponseWriter, r *request) (*scorer.Snapshot, *scorer.BoardSheet, scorer.Task, bool) {
	sn, err := c.snapshot(r.Context())
	if err != nil {
		c.fail(w, r.view, err)
		return nil, nil, scorer.Task{}, false
	}
	bs, t, ok := c.task(sn, r.user.Name, r.PathValue("script"), r.PathValue("item"))
	if !ok {
		c.status(w, r.view, http.StatusNotFound, "console.error.no_such_task")
	}
	return sn, bs, t, ok
}

func (c *Console) gradePage(w http.ResponseWriter, r *request) {
	sn, bs, t, ok := c.requestedTask(w, r)
	if !ok {
		return
	}
	data, err := c.gradeData(r, sn, bs, t)
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	if t.Mine != nil {
		data.Points, data.Comment = fmt.Sprint(t.Mine.Points), t.Mine.Comment
	}
	c.render(w, r.view, http.StatusOK, "grade", data)
}

func (c *Console) gradeData(r *request, sn *scorer.Snapshot, bs *scorer.BoardSheet, t scorer.Task) (gradeData, error) {
	d := gradeData{Task: t, Language: bs.Sheet.Language, NotNeeded: t.Mine == nil && (t.Graders >= t.Required || t.Decided)}
	for _, si := range bs.Sheet.Items {
		if si.ID == t.ItemID {
			d.Text = si.Text
		}
	}
	if key, ok := sn.Keys[bs.Record.BankID]; ok {
		if ki, ok := key.Item(t.ItemID); ok {
			d.Guide = r.view.L.Text(ki.Guide, bs.Sheet.Language)
			d.ModelAnswer = r.view.L.Text(ki.ModelAnswer, bs.Sheet.Language)
		}
	}
	content, err := c.store.BankContent(r.Context(), bs.Record.BankID)
	switch {
	case errors.Is(err, scorer.ErrNotFound):
	case err != nil:
		return d, err
	default:
		if it, ok := content.Item(t.ItemID); ok {
			d.Prompt = it.Prompt[bs.Sheet.Language]
			d.WordLimit = it.WordLimit
		}
	}
	return d, nil
}

func (c *Console) saveGrade(w http.ResponseWriter, r *request) {
	sn, bs, t, ok := c.requestedTask(w, r)
	if !ok {
		return
	}
	form, problem := parseGradeForm(r.PostForm, t.MaxPoints)
	data, err := c.gradeData(r, sn, bs, t)
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	data.Points, data.Comment = r.PostForm.Get("points"), form.Comment
	switch {
	case t.Closed:
		problem = "console.grading.closed"
	case data.NotNeeded:
		problem = "console.grading.not_needed"
	}
	if problem != "" {
		data.Error, data.ErrorMax = problem, t.MaxPoints
		c.render(w, r.view, http.StatusBadRequest, "grade", data)
		return
	}
	now := c.cfg.Now()
	g := scorer.Grade{SheetID: bs.Record.SheetID, ItemID: t.ItemID, Grader: r.user.Name, Points: form.Points, Comment: form.Comment, At: now}
	key := sn.Keys[bs.Record.BankID]
	if err := g.Validate(key.AnswerKey, bs.Sheet); err != nil {
		c.fail(w, r.view, err) // the form was checked against the same rules: a program error
		return
	}
	subject := "script " + t.Script + " task " + t.ItemID
	audit := scorer.Audit(r.user.Name, scorer.AuditGrade, subject, now, map[string]string{
		"script": t.Script, "item": t.ItemID, "sheet": g.SheetID, "points": fmt.Sprint(g.Points), "comment": g.Comment})
	if err := c.board.PutGrade(r.Context(), g, audit); err != nil {
		c.fail(w, r.view, err)
		return
	}
	c.flash(w, "console.grading.saved")
	next := "/grading"
	if t, ok := sn.Next(r.user.Name, t.Script, t.ItemID); ok {
		next = taskPath(t)
	}
	http.Redirect(w, r.Request, next, http.StatusSeeOther)
}

// taskPath is the address of a task's grading screen.
func taskPath(t scorer.Task) string {
	return "/grading/" + url.PathEscape(t.Script) + "/" + url.PathEscape(t.ItemID)
}

// TaskPath is taskPath for templates.
func (queueData) TaskPath(t scorer.Task) string { return taskPath(t) }
