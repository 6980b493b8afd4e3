package console

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"ispit/bank"
	"ispit/scorer"
)

// Interviews: per position, each interviewer enters their points for the candidates who
// passed the professional exam; the interview score is the mean over the interviewers.

type interviewPosition struct {
	Code      string
	Path      string
	Revealed  bool
	Published bool
	Offered   int
	Entered   int // by this interviewer
}

func (c *Console) interviewPositions(w http.ResponseWriter, r *request) {
	sn, err := c.snapshot(r.Context())
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	var out []interviewPosition
	for _, p := range sn.Report().Results.Positions {
		ip := interviewPosition{Code: p.Code, Path: "/interviews/" + url.PathEscape(p.Code), Revealed: sn.Revealed(p.Code), Published: sn.Published(p.Code)}
		for _, cr := range sn.InterviewCandidates(p.Code) {
			ip.Offered++
			if interviewedBy(cr, r.user.Name) {
				ip.Entered++
			}
		}
		out = append(out, ip)
	}
	c.render(w, r.view, http.StatusOK, "interviews", out)
}

type interviewRow struct {
	Code, Name  string
	Path        string
	Points      string
	Competences map[string]string
	Error       string
}

type interviewData struct {
	Position    string
	Department  bank.Text
	Competences []bank.Competence
	Revealed    bool
	Published   bool
	Progress    scorer.GradingProgress
	Rows        []interviewRow
	Max, Pass   int
}

func (c *Console) interviewData(sn *scorer.Snapshot, position, interviewer string) (interviewData, bool) {
	if _, ok := sn.Position(position); !ok {
		return interviewData{}, false
	}
	d := interviewData{Position: position, Revealed: sn.Revealed(position), Published: sn.Published(position),
		Progress: sn.Progress(position), Max: bank.InterviewMaxPoints, Pass: bank.InterviewPassPoints}
	if p, ok := sn.PositionDetails(position); ok {
		d.Department, d.Competences = p.Department, p.Competences
	}
	if !d.Revealed {
		return d, true
	}
	for _, cr := range sn.InterviewCandidates(position) {
		row := interviewRow{Code: cr.Candidate.Code, Name: cr.Candidate.Name, Competences: map[string]string{},
			Path: "/interviews/" + url.PathEscape(position) + "/" + url.PathEscape(cr.Candidate.Code)}
		for _, iv := range cr.Interviews {
			if iv.By == interviewer {
				row.Points = fmt.Sprint(iv.Points)
				for id, n := range iv.Competences {
					row.Competences[id] = fmt.Sprint(n)
				}
			}
		}
		d.Rows = append(d.Rows, row)
	}
	return d, true
}

func (c *Console) interviewPage(w http.ResponseWriter, r *request) {
	sn, err := c.snapshot(r.Context())
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	d, ok := c.interviewData(sn, r.PathValue("position"), r.user.Name)
	if !ok {
		c.status(w, r.view, http.StatusNotFound, "console.error.no_such_position")
		return
	}
	c.render(w, r.view, http.StatusOK, "interview", d)
}

func (c *Console) saveInterview(w http.ResponseWriter, r *request) {
	sn, err := c.snapshot(r.Context())
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	position, code := r.PathValue("position"), r.PathValue("candidate")
	d, ok := c.interviewData(sn, position, r.user.Name)
	row := -1
	for i := range d.Rows {
		if strings.EqualFold(d.Rows[i].Code, code) {
			row = i
		}
	}
	if !ok || row < 0 {
		c.status(w, r.view, http.StatusNotFound, "console.interviews.not_offered")
		return
	}
	if d.Published {
		c.status(w, r.view, http.StatusConflict, "console.interviews.published")
		return
	}
	details, _ := sn.PositionDetails(position)
	form, problem := parseInterviewForm(r.PostForm, details)
	if problem != "" {
		d.Rows[row].Error = problem
		d.Rows[row].Points = r.PostForm.Get("points")
		for _, comp := range d.Competences {
			d.Rows[row].Competences[comp.ID] = r.PostForm.Get("c-" + comp.ID)
		}
		c.render(w, r.view, http.StatusBadRequest, "interview", d)
		return
	}
	now := c.cfg.Now()
	iv := scorer.Interview{Candidate: d.Rows[row].Code, Position: position, Points: form.Points, Competences: form.Competences, Entered: now, By: r.user.Name}
	if err := iv.ValidateFor(details); err != nil {
		c.fail(w, r.view, err)
		return
	}
	detail := map[string]string{"candidate": iv.Candidate, "position": position, "points": fmt.Sprint(iv.Points)}
	for id, n := range iv.Competences {
		detail["competence "+id] = fmt.Sprint(n)
	}
	if err := c.store.PutInterview(r.Context(), iv, scorer.Audit(r.user.Name, scorer.AuditInterview, iv.Candidate, now, detail)); err != nil {
		c.fail(w, r.view, err)
		return
	}
	c.flash(w, "console.interviews.saved")
	http.Redirect(w, r.Request, "/interviews/"+url.PathEscape(position)+"#"+url.PathEscape(iv.Candidate), http.StatusSeeOther)
}
