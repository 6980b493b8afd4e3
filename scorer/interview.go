package scorer

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"ispit/bank"
)

// Interview is one interviewer's points for a candidate's interview (0..bank.InterviewMaxPoints).
// A candidate's interview points are the mean over the interviewers who scored them.
type Interview struct {
	Candidate string `json:"candidate"` // the candidate's code
	Position  string `json:"position"`  // the position code; "" for the candidate's own
	Points    int    `json:"points"`
	// Competences are the points per competence, where the position defines competences
	// (bank.Position.Competences); Points is then their sum.
	Competences map[string]int `json:"competences,omitempty"`
	Entered     time.Time      `json:"entered"`
	By          string         `json:"by"` // the interviewer
}

// Validate checks an interview as the commission enters it: a candidate code, an interviewer,
// and points between 0 and bank.InterviewMaxPoints.
func (iv Interview) Validate() error {
	if strings.TrimSpace(iv.Candidate) == "" {
		return errors.New("interview points name no candidate")
	}
	if strings.TrimSpace(iv.By) == "" {
		return fmt.Errorf("interview of candidate %s names no interviewer", iv.Candidate)
	}
	if iv.Points < 0 || iv.Points > bank.InterviewMaxPoints {
		return fmt.Errorf("interview of candidate %s: %d points; an interview gives 0 to %d", iv.Candidate, iv.Points, bank.InterviewMaxPoints)
	}
	return nil
}

// ErrInvalidInterview refuses interview points that do not fit the position's competences.
var ErrInvalidInterview = errors.New("invalid interview points")

// ValidateFor checks an interview against its position: where the position defines
// competences, every competence has points within its maximum and Points is their sum;
// otherwise no competence is given.
func (iv Interview) ValidateFor(p *bank.Position) error {
	if err := iv.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidInterview, err)
	}
	if p == nil || len(p.Competences) == 0 {
		if len(iv.Competences) > 0 {
			return fmt.Errorf("%w: position %s has no competences", ErrInvalidInterview, iv.Position)
		}
		return nil
	}
	sum := 0
	for _, c := range p.Competences {
		pts, ok := iv.Competences[c.ID]
		if !ok {
			return fmt.Errorf("%w: no points for competence %s", ErrInvalidInterview, c.ID)
		}
		if pts < 0 || pts > c.MaxPoints {
			return fmt.Errorf("%w: competence %s gives 0 to %d points, not %d", ErrInvalidInterview, c.ID, c.MaxPoints, pts)
		}
		sum += pts
	}
	for _, id := range slices.Sorted(maps.Keys(iv.Competences)) {
		if !slices.ContainsFunc(p.Competences, func(c bank.Competence) bool { return c.ID == id }) {
			return fmt.Errorf("%w: position %s has no competence %s", ErrInvalidInterview, p.Code, id)
		}
	}
	if sum != iv.Points {
		return fmt.Errorf("%w: the competences sum to %d, not %d", ErrInvalidInterview, sum, iv.Points)
	}
	return nil
}

// Passed reports whether the interview reaches bank.InterviewPassPoints.
func (iv Interview) Passed() bool { return iv.Points >= bank.InterviewPassPoints }
