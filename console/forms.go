package console

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"ispit/bank"
	"ispit/scorer"
)

// The forms' parsers: each reads what a browser sent, never trusting it, and returns the
// values or the catalogue id of what is wrong. They never panic (FuzzForms).

// wholeNumber reads a whole number typed into a field: digits only, at most six of them.
func wholeNumber(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 6 || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// text reads a free-text field: trimmed, valid UTF-8, at most scorer.MaxCommentLength
// characters, carriage returns dropped.
func text(s string) (string, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r", ""))
	return s, utf8.ValidString(s) && utf8.RuneCountInString(s) <= scorer.MaxCommentLength && !strings.ContainsRune(s, 0)
}

type gradeForm struct {
	Points  int
	Comment string
}

// parseGradeForm reads a grader's points (0..max) and comment.
func parseGradeForm(f url.Values, max int) (gradeForm, string) {
	var g gradeForm
	var ok bool
	if g.Comment, ok = text(f.Get("comment")); !ok {
		return g, "console.error.text_too_long"
	}
	if g.Points, ok = wholeNumber(f.Get("points")); !ok || g.Points > max {
		return g, "console.error.points_range"
	}
	return g, ""
}

type resolutionForm struct {
	Kind   scorer.ResolutionKind
	Points int
	Note   string
}

// parseResolutionForm reads the secretary's resolution of a dispute: a decision with points
// (0..max) and its reason, or a request for a further grader.
func parseResolutionForm(f url.Values, max int) (resolutionForm, string) {
	var r resolutionForm
	var ok bool
	if r.Note, ok = text(f.Get("note")); !ok {
		return r, "console.error.text_too_long"
	}
	switch scorer.ResolutionKind(f.Get("kind")) {
	case scorer.ResolveFurtherGrader:
		r.Kind = scorer.ResolveFurtherGrader
	case scorer.ResolveDecision:
		r.Kind = scorer.ResolveDecision
		if r.Points, ok = wholeNumber(f.Get("points")); !ok || r.Points > max {
			return r, "console.error.points_range"
		}
		if r.Note == "" {
			return r, "console.disputes.reason_needed"
		}
	default:
		return r, "console.error.bad_form"
	}
	return r, ""
}

type interviewForm struct {
	Points      int
	Competences map[string]int
}

// parseInterviewForm reads an interviewer's points: one number 0..30, or a number per
// competence of the position, each within its maximum, summed.
func parseInterviewForm(f url.Values, p *bank.Position) (interviewForm, string) {
	var iv interviewForm
	if p == nil || len(p.Competences) == 0 {
		n, ok := wholeNumber(f.Get("points"))
		if !ok || n > bank.InterviewMaxPoints {
			return iv, "console.error.interview_range"
		}
		iv.Points = n
		return iv, ""
	}
	iv.Competences = map[string]int{}
	for _, c := range p.Competences {
		n, ok := wholeNumber(f.Get("c-" + c.ID))
		if !ok || n > c.MaxPoints {
			return iv, "console.error.competence_range"
		}
		iv.Competences[c.ID] = n
		iv.Points += n
	}
	return iv, ""
}

// parseAppealForm reads the candidate's grounds of an appeal.
func parseAppealForm(f url.Values) (string, string) {
	grounds, ok := text(f.Get("grounds"))
	switch {
	case !ok:
		return "", "console.error.text_too_long"
	case grounds == "":
		return "", "console.appeals.grounds_needed"
	}
	return grounds, ""
}

// parseDecisionForm reads the decision on an appeal.
func parseDecisionForm(f url.Values) (scorer.AppealStatus, string, string) {
	reasons, ok := text(f.Get("reasons"))
	if !ok {
		return "", "", "console.error.text_too_long"
	}
	status := scorer.AppealStatus(f.Get("status"))
	if status != scorer.AppealUpheld && status != scorer.AppealRejected {
		return "", "", "console.error.bad_form"
	}
	if reasons == "" {
		return "", "", "console.appeals.reasons_needed"
	}
	return status, reasons, ""
}

type userForm struct {
	Name     string
	FullName string
	Roles    []scorer.Role
}

// parseUserForm reads a new account: a sign-in name, the member's name and their roles.
func parseUserForm(f url.Values) (userForm, string) {
	var u userForm
	name, err := scorer.NormalizeUserName(f.Get("name"))
	if err != nil {
		return u, "console.users.bad_name"
	}
	u.Name = name
	u.FullName = strings.TrimSpace(f.Get("full_name"))
	if scorer.CheckFullName(u.FullName) != nil {
		return u, "console.users.bad_full_name"
	}
	if u.Roles, err = scorer.ParseRoles(strings.Join(f["role"], ",")); err != nil {
		return u, "console.users.no_role"
	}
	return u, ""
}

// parseRulesForm reads the grading rules.
func parseRulesForm(f url.Values) (scorer.Rules, string) {
	var r scorer.Rules
	var ok1, ok2, ok3 bool
	r.MinGraders, ok1 = wholeNumber(f.Get("graders"))
	r.Disagreement, ok2 = wholeNumber(f.Get("disagreement"))
	r.ListSize, ok3 = wholeNumber(f.Get("list"))
	if !ok1 || !ok2 || !ok3 || r.Validate() != nil {
		return r, "console.rules.invalid"
	}
	return r, ""
}
