package console

import (
	"cmp"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"time"

	"ispit/bank"
	"ispit/internal/svgchart"
	"ispit/scorer"
)

// Results: per position every candidate with their parts, interview, total and outcome; the
// list of successful candidates; absentees; a chart per part; the printable record; and
// publication.

type positionSummary struct {
	Code      string
	Path      string
	Result    *scorer.PositionResult
	Progress  scorer.GradingProgress
	Revealed  bool
	Published *scorer.Publication
}

func (c *Console) resultsIndex(w http.ResponseWriter, r *request) {
	sn, err := c.snapshot(r.Context())
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	var out []positionSummary
	for i := range sn.Report().Results.Positions {
		out = append(out, summarize(sn, &sn.Report().Results.Positions[i]))
	}
	c.render(w, r.view, http.StatusOK, "results", out)
}

func summarize(sn *scorer.Snapshot, p *scorer.PositionResult) positionSummary {
	s := positionSummary{Code: p.Code, Path: "/results/" + url.PathEscape(p.Code), Result: p, Progress: sn.Progress(p.Code), Revealed: sn.Revealed(p.Code)}
	if pub, ok := sn.Publications[p.Code]; ok {
		s.Published = &pub
	}
	return s
}

// resultRow is one candidate's line in a position's results.
type resultRow struct {
	scorer.CandidateResult
	Public       *scorer.PartResult
	Professional *scorer.PartResult
	Absent       bool
}

type positionData struct {
	positionSummary
	Details    *bank.Position
	Rows       []resultRow
	List       []resultRow // the successful candidates
	Absent     []resultRow
	Charts     []template.HTML
	Pending    int // candidates not yet ranked
	ListSize   int
	Commission []scorer.User
	Printed    time.Time
}

func (c *Console) positionData(r *request, sn *scorer.Snapshot, code string) (positionData, bool) {
	p, ok := sn.Position(code)
	if !ok {
		return positionData{}, false
	}
	d := positionData{positionSummary: summarize(sn, p), ListSize: sn.Rules.WithDefaults().ListSize, Printed: c.cfg.Now()}
	d.Details, _ = sn.PositionDetails(code)
	if !d.Revealed {
		return d, true
	}
	var public, professional []int
	var pubMax, pubPass, proMax, proPass int
	for _, cr := range sn.CandidatesOf(code) {
		row := resultRow{CandidateResult: cr}
		for i := range cr.Parts {
			part := &cr.Parts[i]
			switch part.SheetID {
			case cr.PublicSheet:
				row.Public = part
				public = append(public, part.Points)
				pubMax, pubPass = part.MaxPoints, part.PassMark
			case cr.ProfessionalSheet:
				row.Professional = part
				if !part.Pending {
					professional = append(professional, part.Points)
				}
				proMax, proPass = part.MaxPoints, part.PassMark
			}
		}
		switch cr.Outcome {
		case scorer.OutcomeSuccessful:
			d.List = append(d.List, row)
		case scorer.OutcomePending, scorer.OutcomeIncomplete:
			d.Pending++
		}
		d.Rows = append(d.Rows, row)
	}
	slices.SortStableFunc(d.List, func(a, b resultRow) int { return a.Place - b.Place })
	slices.SortStableFunc(d.Rows, func(a, b resultRow) int {
		return cmp.Or(cmp.Compare(outcomeOrder(a.Outcome), outcomeOrder(b.Outcome)), cmp.Compare(a.Place, b.Place))
	})
	for _, a := range p.Absent {
		d.Absent = append(d.Absent, resultRow{CandidateResult: scorer.CandidateResult{Candidate: a}, Absent: true})
	}
	l := r.view.L
	if len(public) > 0 {
		d.Charts = append(d.Charts, chart(l, "console.chart.public", public, pubMax, pubPass))
	}
	if len(professional) > 0 {
		d.Charts = append(d.Charts, chart(l, "console.chart.professional", professional, proMax, proPass))
	}
	return d, true
}

// outcomeOrder lists a position's candidates as the commission reads them: the ranked ones by
// place, then those without a final result, then those who did not pass.
func outcomeOrder(o scorer.Outcome) int {
	switch o {
	case scorer.OutcomeSuccessful, scorer.OutcomeEligible:
		return 0
	case scorer.OutcomePending, scorer.OutcomeIncomplete:
		return 1
	}
	return 2
}

// chart draws the distribution of a part's points with its pass mark.
func chart(l *loc, title string, values []int, max, pass int) template.HTML {
	h := svgchart.Histogram{
		Title: l.T(title), XLabel: l.T("console.chart.points"), YLabel: l.T("console.chart.candidates"),
		PassLabel: l.T("console.chart.pass_mark", "Pass", pass), Max: max, PassMark: pass, Values: values,
		Empty: l.T("console.chart.empty"),
	}
	sum := h.Summary()
	h.Desc = l.T("console.chart.desc", "N", sum.N, "Pass", pass, "Passed", sum.AtOrAbove)
	return template.HTML(h.SVG()) // svgchart escapes every text it writes
}

// requestedPosition finds the position an address names, or answers that it cannot.
func (c *Console) requestedPosition(w http.ResponseWriter, r *request) (positionData, bool) {
	sn, err := c.snapshot(r.Context())
	if err != nil {
		c.fail(w, r.view, err)
		return positionData{}, false
	}
	d, ok := c.positionData(r, sn, r.PathValue("position"))
	if !ok {
		c.status(w, r.view, http.StatusNotFound, "console.error.no_such_position")
	}
	return d, ok
}

func (c *Console) resultsPage(w http.ResponseWriter, r *request) {
	d, ok := c.requestedPosition(w, r)
	if !ok {
		return
	}
	if d.Published != nil {
		pub := *d.Published
		pub.By = c.fullName(r, pub.By)
		d.Published = &pub
	}
	c.render(w, r.view, http.StatusOK, "position", d)
}

func (c *Console) recordPage(w http.ResponseWriter, r *request) {
	d, ok := c.requestedPosition(w, r)
	if !ok {
		return
	}
	if !d.Revealed {
		c.status(w, r.view, http.StatusConflict, "console.results.not_ready")
		return
	}
	users, err := c.store.Users(r.Context())
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	for _, u := range users {
		if !u.Disabled {
			d.Commission = append(d.Commission, u)
		}
	}
	c.render(w, r.view, http.StatusOK, "record", d)
}

func (c *Console) publish(w http.ResponseWriter, r *request) {
	sn, err := c.snapshot(r.Context())
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	code := r.PathValue("position")
	if _, ok := sn.Position(code); !ok {
		c.status(w, r.view, http.StatusNotFound, "console.error.no_such_position")
		return
	}
	publish := r.PostForm.Get("action") == "publish"
	if r.PostForm.Get("action") != "withdraw" && !publish {
		c.status(w, r.view, http.StatusBadRequest, "console.error.bad_form")
		return
	}
	if publish && !sn.Revealed(code) {
		c.status(w, r.view, http.StatusConflict, "console.results.not_ready")
		return
	}
	now := c.cfg.Now()
	action, notice := scorer.AuditPublished, "console.results.published_now"
	if !publish {
		action, notice = scorer.AuditWithdrawn, "console.results.withdrawn_now"
	}
	if err := c.store.SetPublication(r.Context(), scorer.Publication{Position: code, Published: publish, At: now, By: r.user.Name},
		scorer.Audit(r.user.Name, action, code, now, nil)); err != nil {
		c.fail(w, r.view, err)
		return
	}
	c.flash(w, notice)
	http.Redirect(w, r.Request, "/results/"+url.PathEscape(code), http.StatusSeeOther)
}

func (c *Console) resultsCSV(w http.ResponseWriter, r *request) {
	c.download(w, r, "results.csv", "text/csv; charset=utf-8", func(res scorer.Results, w http.ResponseWriter) error { return scorer.WriteCSV(w, res) })
}

func (c *Console) rankingCSV(w http.ResponseWriter, r *request) {
	c.download(w, r, "ranking.csv", "text/csv; charset=utf-8", func(res scorer.Results, w http.ResponseWriter) error { return scorer.WriteRankingCSV(w, res) })
}

func (c *Console) resultsJSON(w http.ResponseWriter, r *request) {
	c.download(w, r, "results.json", "application/json", func(res scorer.Results, w http.ResponseWriter) error { return scorer.WriteJSON(w, res) })
}

// download sends the results of the positions whose names may be shown, as a file.
func (c *Console) download(w http.ResponseWriter, r *request, name, contentType string, write func(scorer.Results, http.ResponseWriter) error) {
	sn, err := c.snapshot(r.Context())
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	res := revealedResults(sn)
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	if err := write(res, w); err != nil {
		c.cfg.Log.Error("console: download", "file", name, "err", err)
	}
}

// revealedResults are the results without the candidates of positions still being graded.
func revealedResults(sn *scorer.Snapshot) scorer.Results {
	res := sn.Report().Results
	out := scorer.Results{Notes: res.Notes, Positions: []scorer.PositionResult{}, Candidates: []scorer.CandidateResult{}}
	for _, p := range res.Positions {
		if sn.Revealed(p.Code) {
			out.Positions = append(out.Positions, p)
		}
	}
	for _, cr := range res.Candidates {
		if sn.Revealed(cr.Candidate.Position) {
			out.Candidates = append(out.Candidates, cr)
		}
	}
	return out
}
