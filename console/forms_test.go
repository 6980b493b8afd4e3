package console

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"ispit/bank"
	"ispit/scorer"
)

var demoPosition = &bank.Position{Code: "DEMO-12/2026", Competences: []bank.Competence{
	{ID: "professional-knowledge", MaxPoints: 10}, {ID: "communication", MaxPoints: 8}, {ID: "problem-solving", MaxPoints: 7}, {ID: "motivation", MaxPoints: 5},
}}

func TestParseGradeForm(t *testing.T) {
	for _, tt := range []struct {
		points, comment string
		ok              bool
		want            int
	}{
		{"0", "", true, 0}, {"50", "dobro", true, 50}, {" 17 ", "", true, 17}, {"51", "", false, 0}, {"-1", "", false, 0},
		{"1e1", "", false, 0}, {"", "", false, 0}, {"0x10", "", false, 0}, {"٣", "", false, 0}, {"9999999", "", false, 0},
		{"10", strings.Repeat("a", scorer.MaxCommentLength), true, 10}, {"10", strings.Repeat("a", scorer.MaxCommentLength+1), false, 0},
		{"10", "\xff", false, 0}, {"10", "a\x00b", false, 0},
	} {
		g, problem := parseGradeForm(url.Values{"points": {tt.points}, "comment": {tt.comment}}, 50)
		if (problem == "") != tt.ok || (tt.ok && g.Points != tt.want) {
			t.Errorf("points %q comment %.10q: %+v, %q", tt.points, tt.comment, g, problem)
		}
	}
}

func TestParseInterviewForm(t *testing.T) {
	iv, problem := parseInterviewForm(url.Values{"c-professional-knowledge": {"9"}, "c-communication": {"8"}, "c-problem-solving": {"3"}, "c-motivation": {"5"}}, demoPosition)
	if problem != "" || iv.Points != 25 || len(iv.Competences) != 4 {
		t.Errorf("competences: %+v %q", iv, problem)
	}
	for name, f := range map[string]url.Values{
		"one missing":      {"c-professional-knowledge": {"9"}, "c-communication": {"8"}, "c-problem-solving": {"3"}},
		"over its maximum": {"c-professional-knowledge": {"11"}, "c-communication": {"8"}, "c-problem-solving": {"3"}, "c-motivation": {"5"}},
	} {
		if _, problem := parseInterviewForm(f, demoPosition); problem == "" {
			t.Errorf("%s: accepted", name)
		}
	}
	if iv, problem := parseInterviewForm(url.Values{"points": {"30"}}, &bank.Position{}); problem != "" || iv.Points != 30 {
		t.Errorf("30 points: %+v %q", iv, problem)
	}
	if _, problem := parseInterviewForm(url.Values{"points": {"31"}}, nil); problem == "" {
		t.Errorf("31 points accepted")
	}
}

// FuzzForms feeds every form parser whatever a browser might send: none may panic, and what
// one accepts must be within its rules.
func FuzzForms(f *testing.F) {
	for _, seed := range []string{
		"points=12&comment=dobro", "points=-1", "points=99999999999999999999", "kind=decision&points=3&note=x",
		"kind=further-grader", "c-professional-knowledge=10&c-communication=8&c-problem-solving=7&c-motivation=5",
		"grounds=%E2%80%AE", "status=upheld&reasons=x", "name=ana&full_name=Ana&role=grader&role=secretary",
		"graders=2&disagreement=10&list=3", "points=%00", "comment=%ff%fe", "role=root",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		if g, problem := parseGradeForm(form, 50); problem == "" && (g.Points < 0 || g.Points > 50 || !utf8.ValidString(g.Comment)) {
			t.Errorf("grade accepted: %+v", g)
		}
		if r, problem := parseResolutionForm(form, 50); problem == "" && (r.Points < 0 || r.Points > 50 || (r.Kind == scorer.ResolveDecision && r.Note == "")) {
			t.Errorf("resolution accepted: %+v", r)
		}
		if iv, problem := parseInterviewForm(form, demoPosition); problem == "" && (iv.Points < 0 || iv.Points > bank.InterviewMaxPoints) {
			t.Errorf("interview accepted: %+v", iv)
		}
		if iv, problem := parseInterviewForm(form, nil); problem == "" && (iv.Points < 0 || iv.Points > bank.InterviewMaxPoints) {
			t.Errorf("interview accepted: %+v", iv)
		}
		if grounds, problem := parseAppealForm(form); problem == "" && (grounds == "" || utf8.RuneCountInString(grounds) > scorer.MaxCommentLength) {
			t.Errorf("grounds accepted: %q", grounds)
		}
		if status, reasons, problem := parseDecisionForm(form); problem == "" && (reasons == "" || (status != scorer.AppealUpheld && status != scorer.AppealRejected)) {
			t.Errorf("decision accepted: %q %q", status, reasons)
		}
		if u, problem := parseUserForm(form); problem == "" && (len(u.Roles) == 0 || scorer.CheckFullName(u.FullName) != nil) {
			t.Errorf("user accepted: %+v", u)
		}
		if r, problem := parseRulesForm(form); problem == "" && r.Validate() != nil {
			t.Errorf("rules accepted: %+v", r)
		}
	})
}
