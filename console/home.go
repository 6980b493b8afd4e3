package console

import (
	"net/http"

	"ispit/scorer"
)

type homeData struct {
	ToGrade        int
	ToInterview    int
	Disputes       int
	Held           int
	Sheets         int
	OpenAppeals    int
	Positions      int
	PositionsReady int // graded through, names shown
	Published      int
}

func (c *Console) home(w http.ResponseWriter, r *request) {
	sn, err := c.snapshot(r.Context())
	if err != nil {
		c.fail(w, r.view, err)
		return
	}
	var d homeData
	if r.user.Has(scorer.RoleGrader) {
		d.ToGrade = len(sn.Queue(r.user.Name).ToGrade)
	}
	if r.user.Has(scorer.RoleInterviewer) {
		for _, p := range sn.Report().Results.Positions {
			for _, cr := range sn.InterviewCandidates(p.Code) {
				if !interviewedBy(cr, r.user.Name) && sn.Revealed(p.Code) {
					d.ToInterview++
				}
			}
		}
	}
	if r.user.Has(scorer.RoleSecretary) {
		d.Disputes = len(sn.Disputes())
		d.Held = len(sn.Report().Held)
		d.Sheets = len(sn.Sheets)
		for _, a := range sn.Appeals {
			if a.Status == scorer.AppealOpen {
				d.OpenAppeals++
			}
		}
		for _, p := range sn.Report().Results.Positions {
			d.Positions++
			if sn.Revealed(p.Code) {
				d.PositionsReady++
			}
			if sn.Published(p.Code) {
				d.Published++
			}
		}
	}
	c.render(w, r.view, http.StatusOK, "home", d)
}

// interviewedBy reports whether an interviewer has entered points for a candidate.
func interviewedBy(cr scorer.CandidateResult, name string) bool {
	for _, iv := range cr.Interviews {
		if iv.By == name {
			return true
		}
	}
	return false
}
