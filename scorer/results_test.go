package scorer_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"ispit/bank"
	"ispit/exam"
	"ispit/scorer"
)

// resultPart is a scored sheet as ScoreSheet would give it, with the key's standard figures.
func resultPart(sheet, code, name, position string, kind bank.PartKind, points int, pending bool) scorer.PartResult {
	maxPoints, passMark := 100, 70
	switch kind {
	case bank.PartPublic:
		maxPoints, passMark = 21, 11
	case bank.PartProfessionalWritten:
		passMark = 75
	}
	r := scorer.PartResult{
		SheetID: sheet, Candidate: exam.SheetPerson{Code: code, Name: name, Position: position},
		BankID: "demo-2023", ManifestSHA256: scoringDigest, Part: string(kind), Kind: kind, Language: "bs",
		SubmittedAt: time.Date(2023, 10, 14, 10, 0, 0, 0, time.UTC),
		Points:      points, MaxPoints: maxPoints, PassMark: passMark,
		Passed: !pending && points >= passMark, Pending: pending,
	}
	switch kind {
	case bank.PartPublic:
		r.Correct = points
	case bank.PartProfessionalChoice:
		r.Correct = points / 10
	}
	return r
}

var interviewTime = time.Date(2023, 11, 2, 14, 0, 0, 0, time.UTC)

func interview(code, position string, points, minutes int) scorer.Interview {
	return scorer.Interview{Candidate: code, Position: position, Points: points, Entered: interviewTime.Add(time.Duration(minutes) * time.Minute), By: "komisija"}
}

// sat is a candidate who sat the public exam and the professional multiple-choice exam.
func sat(code, name, position string, public, professional int) []scorer.PartResult {
	return []scorer.PartResult{
		resultPart("pub-"+code, code, name, position, bank.PartPublic, public, false),
		resultPart("pro-"+code, code, name, position, bank.PartProfessionalChoice, professional, false),
	}
}

func candidate(t *testing.T, r scorer.Results, code string) *scorer.CandidateResult {
	t.Helper()
	c, ok := r.Candidate(code)
	if !ok {
		t.Fatalf("no result for candidate %s", code)
	}
	return c
}

func position(t *testing.T, r scorer.Results, code string) *scorer.PositionResult {
	t.Helper()
	for i := range r.Positions {
		if r.Positions[i].Code == code {
			return &r.Positions[i]
		}
	}
	t.Fatalf("no result for position %s", code)
	return nil
}

func TestInterviewRules(t *testing.T) {
	tests := []struct {
		points int
		valid  bool
		passed bool
	}{
		{-1, false, false}, {0, true, false}, {15, true, false}, {16, true, true}, {30, true, true}, {31, false, true},
	}
	for _, tt := range tests {
		iv := interview("C-1", posExpert, tt.points, 0)
		if err := iv.Validate(); (err == nil) != tt.valid {
			t.Errorf("%d points: Validate gave %v", tt.points, err)
		}
		if iv.Passed() != tt.passed {
			t.Errorf("%d points: Passed %v", tt.points, iv.Passed())
		}
	}
	if err := interview(" ", posExpert, 20, 0).Validate(); err == nil {
		t.Error("interview without a candidate is valid")
	}
}

func TestResultsOutcomes(t *testing.T) {
	const c, n, p = "C-1", "Ана Јовић", posExpert
	written := func(points int, pending bool) scorer.PartResult {
		return resultPart("wr-C-1", c, n, p, bank.PartProfessionalWritten, points, pending)
	}
	tests := []struct {
		name       string
		parts      []scorer.PartResult
		interviews []scorer.Interview
		outcome    scorer.Outcome
		verdicts   [3]scorer.Verdict
		prof, tot  int
		profSheet  string
		notes      int
	}{
		{"passed everything", sat(c, n, p, 11, 70), []scorer.Interview{interview(c, p, 16, 0)},
			scorer.OutcomeSuccessful, [3]scorer.Verdict{"passed", "passed", "passed"}, 70, 86, "pro-C-1", 0},
		{"public 10 of 21 fails, whatever the rest", sat(c, n, p, 10, 100), []scorer.Interview{interview(c, p, 30, 0)},
			scorer.OutcomeFailed, [3]scorer.Verdict{"failed", "passed", "passed"}, 100, 130, "pro-C-1", 0},
		{"professional 69 fails", sat(c, n, p, 21, 69), []scorer.Interview{interview(c, p, 30, 0)},
			scorer.OutcomeFailed, [3]scorer.Verdict{"passed", "failed", "passed"}, 69, 99, "pro-C-1", 0},
		{"interview 15 fails", sat(c, n, p, 21, 100), []scorer.Interview{interview(c, p, 15, 0)},
			scorer.OutcomeFailed, [3]scorer.Verdict{"passed", "passed", "failed"}, 100, 115, "pro-C-1", 0},
		{"written 75 passes", []scorer.PartResult{sat(c, n, p, 11, 0)[0], written(75, false)}, []scorer.Interview{interview(c, p, 16, 0)},
			scorer.OutcomeSuccessful, [3]scorer.Verdict{"passed", "passed", "passed"}, 75, 91, "wr-C-1", 0},
		{"written 74 fails", []scorer.PartResult{sat(c, n, p, 11, 0)[0], written(74, false)}, []scorer.Interview{interview(c, p, 30, 0)},
			scorer.OutcomeFailed, [3]scorer.Verdict{"passed", "failed", "passed"}, 74, 104, "wr-C-1", 0},
		{"written pending", []scorer.PartResult{sat(c, n, p, 11, 0)[0], written(60, true)}, []scorer.Interview{interview(c, p, 30, 0)},
			scorer.OutcomePending, [3]scorer.Verdict{"passed", "pending", "passed"}, 60, 90, "wr-C-1", 0},
		{"public failed and written pending: failed", []scorer.PartResult{sat(c, n, p, 3, 0)[0], written(60, true)}, nil,
			scorer.OutcomeFailed, [3]scorer.Verdict{"failed", "pending", "missing"}, 60, 60, "wr-C-1", 0},
		{"no interview yet", sat(c, n, p, 11, 70), nil,
			scorer.OutcomeIncomplete, [3]scorer.Verdict{"passed", "passed", "missing"}, 70, 70, "pro-C-1", 0},
		{"no public exam", sat(c, n, p, 11, 70)[1:], []scorer.Interview{interview(c, p, 20, 0)},
			scorer.OutcomeIncomplete, [3]scorer.Verdict{"missing", "passed", "passed"}, 70, 90, "pro-C-1", 0},
		{"no professional exam", sat(c, n, p, 11, 70)[:1], []scorer.Interview{interview(c, p, 20, 0)},
			scorer.OutcomeIncomplete, [3]scorer.Verdict{"passed", "missing", "passed"}, 0, 20, "", 0},
		{"only an interview", nil, []scorer.Interview{interview(c, p, 20, 0)},
			scorer.OutcomeIncomplete, [3]scorer.Verdict{"missing", "missing", "passed"}, 0, 20, "", 0},
		{"both professional exams: the passed one counts, not the higher", []scorer.PartResult{sat(c, n, p, 11, 70)[0], sat(c, n, p, 11, 70)[1], written(74, false)},
			[]scorer.Interview{interview(c, p, 20, 0)},
			scorer.OutcomeSuccessful, [3]scorer.Verdict{"passed", "passed", "passed"}, 70, 90, "pro-C-1", 1},
		{"both professional exams passed: the higher counts", []scorer.PartResult{sat(c, n, p, 11, 70)[0], sat(c, n, p, 11, 70)[1], written(80, false)},
			[]scorer.Interview{interview(c, p, 20, 0)},
			scorer.OutcomeSuccessful, [3]scorer.Verdict{"passed", "passed", "passed"}, 80, 100, "wr-C-1", 1},
		{"both professional exams, one pending: pending", []scorer.PartResult{sat(c, n, p, 11, 90)[0], sat(c, n, p, 11, 90)[1], written(10, true)},
			[]scorer.Interview{interview(c, p, 20, 0)},
			scorer.OutcomePending, [3]scorer.Verdict{"passed", "pending", "passed"}, 10, 30, "wr-C-1", 1},
		{"two public sheets: the best counts", append(sat(c, n, p, 11, 70), resultPart("pub-again", c, n, p, bank.PartPublic, 8, false)),
			[]scorer.Interview{interview(c, p, 20, 0)},
			scorer.OutcomeSuccessful, [3]scorer.Verdict{"passed", "passed", "passed"}, 70, 90, "pro-C-1", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := scorer.BuildResults(tt.parts, tt.interviews, nil)
			got := candidate(t, r, c)
			verdicts := [3]scorer.Verdict{got.PublicVerdict, got.ProfessionalVerdict, got.InterviewVerdict}
			if got.Outcome != tt.outcome || verdicts != tt.verdicts || got.ProfessionalPoints != tt.prof || got.Total != tt.tot ||
				got.ProfessionalSheet != tt.profSheet || len(got.Notes) != tt.notes {
				t.Errorf("got %s %v, professional %d (sheet %q), total %d, notes %q; want %s %v, %d (%q), %d, %d notes",
					got.Outcome, verdicts, got.ProfessionalPoints, got.ProfessionalSheet, got.Total, got.Notes,
					tt.outcome, tt.verdicts, tt.prof, tt.profSheet, tt.tot, tt.notes)
			}
			ranked := got.Outcome == scorer.OutcomeSuccessful || got.Outcome == scorer.OutcomeEligible
			if ranked != (got.Place > 0) {
				t.Errorf("outcome %s with place %d", got.Outcome, got.Place)
			}
			pr := position(t, r, p)
			inPending := slices.ContainsFunc(pr.Pending, func(e scorer.RankEntry) bool { return e.Candidate.Code == c })
			if want := got.Outcome == scorer.OutcomePending || got.Outcome == scorer.OutcomeIncomplete; inPending != want {
				t.Errorf("outcome %s, listed as pending: %v", got.Outcome, inPending)
			}
			if (got.Outcome == scorer.OutcomeFailed) != (pr.Failed == 1) || pr.Candidates != 1 || len(pr.Ranking) != boolCount(ranked) {
				t.Errorf("position: %+v", pr)
			}
		})
	}
}

func boolCount(b bool) int {
	if b {
		return 1
	}
	return 0
}

type ranked struct {
	code  string
	place int
	out   scorer.Outcome
	tied  bool
}

func TestRanking(t *testing.T) {
	type entrant struct {
		code           string
		prof, interv   int
		publicFailed   bool
		pendingWritten bool
	}
	tests := []struct {
		name      string
		entrants  []entrant
		rules     scorer.Rules
		want      []ranked // the ranking, in order
		pending   []string
		failed    int
		successes int
	}{
		{"top three of five", []entrant{{"A", 70, 16, false, false}, {"B", 100, 30, false, false}, {"C", 90, 20, false, false}, {"D", 80, 20, false, false}, {"E", 75, 16, false, false}},
			scorer.Rules{}, []ranked{{"B", 1, "successful", false}, {"C", 2, "successful", false}, {"D", 3, "successful", false}, {"E", 4, "eligible", false}, {"A", 5, "eligible", false}},
			nil, 0, 3},
		{"fewer than three eligible", []entrant{{"A", 70, 16, false, false}, {"B", 100, 30, true, false}, {"C", 90, 20, false, false}, {"D", 80, 10, false, false}},
			scorer.Rules{}, []ranked{{"C", 1, "successful", false}, {"A", 2, "successful", false}},
			nil, 2, 2},
		{"none eligible", []entrant{{"A", 60, 16, false, false}, {"B", 100, 30, true, false}},
			scorer.Rules{}, []ranked{}, nil, 2, 0},
		{"failed public exam not ranked despite the best points", []entrant{{"A", 100, 30, true, false}, {"B", 70, 16, false, false}, {"C", 75, 16, false, false}, {"D", 80, 16, false, false}, {"E", 85, 16, false, false}},
			scorer.Rules{}, []ranked{{"E", 1, "successful", false}, {"D", 2, "successful", false}, {"C", 3, "successful", false}, {"B", 4, "eligible", false}},
			nil, 1, 3},
		{"tie for third place: the list grows", []entrant{{"A", 100, 20, false, false}, {"B", 90, 20, false, false}, {"C", 80, 20, false, false}, {"D", 70, 30, false, false}, {"E", 70, 20, false, false}},
			scorer.Rules{}, []ranked{{"A", 1, "successful", false}, {"B", 2, "successful", false}, {"C", 3, "successful", true}, {"D", 3, "successful", true}, {"E", 5, "eligible", false}},
			nil, 0, 4},
		{"tie for first place", []entrant{{"A", 80, 30, false, false}, {"B", 90, 20, false, false}, {"C", 80, 20, false, false}, {"D", 70, 20, false, false}},
			scorer.Rules{}, []ranked{{"B", 1, "successful", true}, {"A", 1, "successful", true}, {"C", 3, "successful", false}, {"D", 4, "eligible", false}},
			nil, 0, 3},
		{"tie for second place", []entrant{{"A", 100, 30, false, false}, {"B", 90, 20, false, false}, {"C", 90, 20, false, false}, {"D", 80, 20, false, false}},
			scorer.Rules{}, []ranked{{"A", 1, "successful", false}, {"B", 2, "successful", true}, {"C", 2, "successful", true}, {"D", 4, "eligible", false}},
			nil, 0, 3},
		{"four-way tie", []entrant{{"D", 90, 20, false, false}, {"C", 90, 20, false, false}, {"B", 90, 20, false, false}, {"A", 90, 20, false, false}},
			scorer.Rules{}, []ranked{{"A", 1, "successful", true}, {"B", 1, "successful", true}, {"C", 1, "successful", true}, {"D", 1, "successful", true}},
			nil, 0, 4},
		{"pending candidates are listed, not ranked", []entrant{{"A", 100, 30, false, true}, {"B", 70, 16, false, false}, {"C", 75, 16, false, false}},
			scorer.Rules{}, []ranked{{"C", 1, "successful", false}, {"B", 2, "successful", false}},
			[]string{"A"}, 0, 2},
		{"list of one", []entrant{{"A", 100, 30, false, false}, {"B", 90, 20, false, false}, {"C", 80, 20, false, false}},
			scorer.Rules{ListSize: 1}, []ranked{{"A", 1, "successful", false}, {"B", 2, "eligible", false}, {"C", 3, "eligible", false}},
			nil, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var parts []scorer.PartResult
			var interviews []scorer.Interview
			for _, e := range tt.entrants {
				public := 15
				if e.publicFailed {
					public = 9
				}
				ps := sat(e.code, "Kandidat "+e.code, posExpert, public, e.prof)
				if e.pendingWritten {
					ps[1] = resultPart("wr-"+e.code, e.code, "", posExpert, bank.PartProfessionalWritten, e.prof, true)
				}
				parts = append(parts, ps...)
				interviews = append(interviews, interview(e.code, posExpert, e.interv, 0))
			}
			r := tt.rules.BuildResults(parts, interviews, nil)
			pr := position(t, r, posExpert)
			var got []ranked
			for _, e := range pr.Ranking {
				got = append(got, ranked{e.Candidate.Code, e.Place, e.Outcome, e.Tied})
				c := candidate(t, r, e.Candidate.Code)
				if c.Place != e.Place || c.Outcome != e.Outcome || c.Tied != e.Tied || c.Total != e.Total || e.Total != e.ProfessionalPoints+e.InterviewPoints {
					t.Errorf("candidate %s: %+v, ranking entry %+v", c.Candidate.Code, c, e)
				}
			}
			if !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
				t.Errorf("ranking:\n got %v\nwant %v", got, tt.want)
			}
			var pending []string
			for _, e := range pr.Pending {
				pending = append(pending, e.Candidate.Code)
				if e.Place != 0 || e.Outcome != scorer.OutcomePending {
					t.Errorf("pending entry %+v", e)
				}
			}
			if !slices.Equal(pending, tt.pending) || pr.Failed != tt.failed || pr.Candidates != len(tt.entrants) {
				t.Errorf("pending %v, failed %d, candidates %d; want %v, %d, %d", pending, pr.Failed, pr.Candidates, tt.pending, tt.failed, len(tt.entrants))
			}
			successes := 0
			for _, c := range r.Candidates {
				if c.Outcome == scorer.OutcomeSuccessful {
					successes++
				}
			}
			if successes != tt.successes {
				t.Errorf("%d successful candidates, want %d", successes, tt.successes)
			}
		})
	}
}

// Rankings are per position; the public exam, shared by all, is counted for each candidate's own
// position.
func TestResultsPerPosition(t *testing.T) {
	var parts []scorer.PartResult
	parts = append(parts, sat("E1", "Elira Berisha", posExpert, 12, 90)...)
	parts = append(parts, sat("E2", "Дарко Илић", posExpert, 12, 80)...)
	parts = append(parts, sat("H1", "Hana Krasniqi", posHead, 20, 75)...)
	parts = append(parts, sat("X1", "Nepoznata Pozicija", "KQZ-99/2023", 20, 75)...)
	interviews := []scorer.Interview{
		interview("E1", posExpert, 20, 0), interview("E2", posExpert, 30, 0),
		interview("h1", "", 16, 0), // code in another case, position left out: the candidate's own
		interview("X1", "KQZ-99/2023", 16, 0),
	}
	key := scoringKey()
	r := scorer.BuildResults(parts, interviews, key.Positions)

	var codes []string
	for _, p := range r.Positions {
		codes = append(codes, p.Code)
	}
	if want := []string{posExpert, posHead, posWritten, "KQZ-99/2023"}; !slices.Equal(codes, want) {
		t.Fatalf("positions %v, want %v", codes, want)
	}
	exp := position(t, r, posExpert)
	if len(exp.Ranking) != 2 || exp.Ranking[0].Candidate.Code != "E1" || exp.Ranking[0].Total != 110 || exp.Ranking[1].Total != 110 ||
		exp.Ranking[0].Place != 1 || exp.Ranking[1].Place != 1 || exp.Department["bs"] != "Sektor za finansije" || exp.Openings != 1 {
		t.Errorf("expert position: %+v", exp)
	}
	head := position(t, r, posHead)
	if len(head.Ranking) != 1 || head.Ranking[0].Candidate.Name != "Hana Krasniqi" || head.Ranking[0].Total != 91 || head.Municipality != "Prishtinë" {
		t.Errorf("head position: %+v", head)
	}
	if w := position(t, r, posWritten); w.Ranking == nil || w.Pending == nil || len(w.Ranking) != 0 || w.Candidates != 0 {
		t.Errorf("position without candidates: %+v", w)
	}
	if x := position(t, r, "KQZ-99/2023"); len(x.Ranking) != 1 || x.Department != nil {
		t.Errorf("position only a candidate names: %+v", x)
	}
	var order []string
	for _, c := range r.Candidates {
		order = append(order, c.Candidate.Code)
	}
	if want := []string{"E1", "E2", "H1", "X1"}; !slices.Equal(order, want) {
		t.Errorf("candidates in order %v, want %v", order, want)
	}
	if c := candidate(t, r, "H1"); len(c.Interviews) == 0 || c.InterviewPoints != 16 || c.Candidate.Code != "H1" {
		t.Errorf("interview entered for h1: %+v", c)
	}
}

func TestResultsInterviewEntries(t *testing.T) {
	parts := sat("C-7", "Ђорђе Đurić", posExpert, 11, 70)
	tests := []struct {
		name       string
		interviews []scorer.Interview
		points     int
		verdict    scorer.Verdict
		notes      int
	}{
		{"a later entry replaces an earlier one", []scorer.Interview{interview("C-7", posExpert, 10, 0), interview("C-7", posExpert, 20, 5)}, 20, "passed", 0},
		{"an earlier entry given later does not replace", []scorer.Interview{interview("C-7", posExpert, 20, 5), interview("C-7", posExpert, 10, 0)}, 20, "passed", 0},
		{"out of range: not counted", []scorer.Interview{interview("C-7", posExpert, 31, 0)}, 0, "missing", 1},
		{"out of range does not replace a valid one", []scorer.Interview{interview("C-7", posExpert, 18, 0), interview("C-7", posExpert, 40, 9)}, 18, "passed", 1},
		{"another position: not counted", []scorer.Interview{interview("C-7", posHead, 25, 0)}, 0, "missing", 1},
		{"code in another case", []scorer.Interview{interview("c-7", posExpert, 17, 0)}, 17, "passed", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := scorer.BuildResults(parts, tt.interviews, nil)
			c := candidate(t, r, "C-7")
			if c.InterviewPoints != tt.points || c.InterviewVerdict != tt.verdict || len(c.Notes) != tt.notes || c.Total != 70+tt.points {
				t.Errorf("got %d points (%s), total %d, notes %q", c.InterviewPoints, c.InterviewVerdict, c.Total, c.Notes)
			}
			if len(r.Candidates) != 1 {
				t.Errorf("%d candidates", len(r.Candidates))
			}
		})
	}
	r := scorer.BuildResults(parts, []scorer.Interview{interview("", posExpert, 20, 0)}, nil)
	if len(r.Notes) != 1 || len(r.Candidates) != 1 {
		t.Errorf("interview without a candidate: notes %q, %d candidates", r.Notes, len(r.Candidates))
	}
	r = scorer.BuildResults(nil, []scorer.Interview{interview("Z-1", posExpert, 99, 0)}, nil)
	if c := candidate(t, r, "Z-1"); c.Outcome != scorer.OutcomeIncomplete || len(c.Notes) != 1 || c.Parts == nil {
		t.Errorf("candidate known only from a refused interview: %+v", c)
	}
}

func TestResultsSameSheetTwice(t *testing.T) {
	first := resultPart("wr-1", "C-1", "Ana", posWritten, bank.PartProfessionalWritten, 40, true)
	again := resultPart("wr-1", "C-1", "Ana", posWritten, bank.PartProfessionalWritten, 80, false)
	parts := []scorer.PartResult{sat("C-1", "Ana", posWritten, 15, 0)[0], first, again}
	r := scorer.BuildResults(parts, []scorer.Interview{interview("C-1", posWritten, 20, 0)}, nil)
	c := candidate(t, r, "C-1")
	if len(c.Parts) != 2 || c.ProfessionalPoints != 80 || c.Outcome != scorer.OutcomeSuccessful || len(c.Notes) != 0 {
		t.Errorf("sheet given twice: %+v", c)
	}
	r = scorer.BuildResults([]scorer.PartResult{resultPart("x", "", "", posWritten, bank.PartPublic, 11, false)}, nil, nil)
	if len(r.Candidates) != 0 || len(r.Notes) != 1 {
		t.Errorf("sheet without a candidate: %+v", r)
	}
}

// From sheets to the list: ScoreSheet's results feed BuildResults.
func TestScoreToResults(t *testing.T) {
	key := scoringKey()
	var parts []scorer.PartResult
	score := func(s *exam.Sheet, grades []scorer.Grade) {
		t.Helper()
		r, err := scorer.ScoreSheet(scorer.KeyOf(key), s, grades)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, r)
	}
	person := func(s *exam.Sheet, code, name string) *exam.Sheet {
		s.Candidate.Code, s.Candidate.Name = code, name
		s.SheetID = s.Part + "-" + code
		return s
	}
	score(person(scoringSheet(t, key, "public", posWritten, 11), "W-1", "Arbër Gashi"), nil)
	w := person(scoringSheet(t, key, "written", posWritten, 0), "W-1", "Arbër Gashi")
	score(w, []scorer.Grade{grade(w.SheetID, "w-1", "ana", 25, 0), grade(w.SheetID, "w-2", "ana", 25, 0), grade(w.SheetID, "w-3", "ana", 30, 0)})
	score(person(scoringSheet(t, key, "public", posWritten, 20), "W-2", "Милица Стојановић"), nil)
	w = person(scoringSheet(t, key, "written", posWritten, 0), "W-2", "Милица Стојановић")
	score(w, []scorer.Grade{grade(w.SheetID, "w-1", "ana", 30, 0)})
	score(person(scoringSheet(t, key, "public", posExpert, 10), "E-1", "Ena Hadžić"), nil)
	score(person(scoringSheet(t, key, "prof-10", posExpert, 10), "E-1", "Ena Hadžić"), nil)

	r := scorer.BuildResults(parts, []scorer.Interview{
		interview("W-1", posWritten, 16, 0), interview("W-2", posWritten, 30, 0), interview("E-1", posExpert, 30, 0),
	}, key.Positions)
	if c := candidate(t, r, "W-1"); c.Outcome != scorer.OutcomeSuccessful || c.Total != 96 || c.Place != 1 {
		t.Errorf("W-1: %+v", c)
	}
	if c := candidate(t, r, "W-2"); c.Outcome != scorer.OutcomePending || c.Place != 0 {
		t.Errorf("W-2: %+v", c)
	}
	if c := candidate(t, r, "E-1"); c.Outcome != scorer.OutcomeFailed || c.PublicVerdict != scorer.VerdictFailed {
		t.Errorf("E-1: %+v", c)
	}
}

// exportResults has Cyrillic and Albanian names, names with commas and quotes, and a candidate
// in each outcome.
func exportResults(t *testing.T) scorer.Results {
	var parts []scorer.PartResult
	parts = append(parts, sat("A-1", "Јована Петровић", posExpert, 15, 90)...)
	parts = append(parts, sat("A-2", "Arbëresha Çollaku-Xhafëri", posExpert, 12, 80)...)
	parts = append(parts, sat("A-3", `Ђорђе "Ђоле" Љубичић, ml.`, posExpert, 18, 70)...)
	parts = append(parts, sat("A-4", "Šćepan Žužić", posExpert, 8, 100)...)
	parts = append(parts, sat("H-1", "Dëshirë Ëngjëllushë", posHead, 11, 0)[0],
		resultPart("wr-H-1", "H-1", "Dëshirë Ëngjëllushë", posHead, bank.PartProfessionalWritten, 50, true))
	interviews := []scorer.Interview{
		interview("A-1", posExpert, 20, 0), interview("A-2", posExpert, 30, 0), interview("A-3", posExpert, 16, 0),
		interview("A-4", posExpert, 30, 0), interview("H-1", posHead, 25, 0),
	}
	return scorer.BuildResults(parts, interviews, scoringKey().Positions)
}

// readCSV checks the byte order mark and reads the CSV back.
func readCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		t.Fatalf("no UTF-8 byte order mark: %q", data[:min(len(data), 16)])
	}
	records, err := csv.NewReader(bytes.NewReader(data[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return records
}

func TestWriteCSV(t *testing.T) {
	r := exportResults(t)
	var buf bytes.Buffer
	if err := scorer.WriteCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	records := readCSV(t, buf.Bytes())
	if !slices.Equal(records[0], scorer.ResultsCSVHeader) {
		t.Fatalf("header %q", records[0])
	}
	col := map[string]int{}
	for i, name := range records[0] {
		col[name] = i
	}
	// Per candidate: two sheets and an interview; H-1: two sheets and an interview.
	if got, want := len(records)-1, 5*3; got != want {
		t.Fatalf("%d rows, want %d", got, want)
	}
	names := map[string]string{}
	rows := map[string][]string{}
	for _, rec := range records[1:] {
		if len(rec) != len(scorer.ResultsCSVHeader) {
			t.Fatalf("row %q has %d fields", rec, len(rec))
		}
		names[rec[col["candidate_code"]]] = rec[col["candidate_name"]]
		rows[rec[col["candidate_code"]]+"/"+rec[col["part"]]] = rec
	}
	for _, c := range r.Candidates {
		if names[c.Candidate.Code] != c.Candidate.Name {
			t.Errorf("name of %s after the round trip: %q, want %q", c.Candidate.Code, names[c.Candidate.Code], c.Candidate.Name)
		}
	}
	check := func(key, column, want string) {
		t.Helper()
		if got := rows[key][col[column]]; got != want {
			t.Errorf("%s %s: %q, want %q", key, column, got, want)
		}
	}
	check("A-1/public", "correct", "15")
	check("A-1/public", "points", "15")
	check("A-1/public", "pass_mark", "11")
	check("A-1/professional-choice", "points", "90")
	check("A-1/interview", "points", "20")
	check("A-1/interview", "max_points", "30")
	check("A-1/interview", "pass_mark", "16")
	check("A-1/interview", "total", "110")
	check("A-2/interview", "place", "1")
	check("A-2/interview", "outcome", "successful")
	check("A-4/public", "passed", "false")
	check("A-4/public", "outcome", "failed")
	check("A-4/public", "place", "")
	check("H-1/professional-written", "pending", "true")
	check("H-1/professional-written", "correct", "")
	check("H-1/professional-written", "counted", "true")
	check("H-1/public", "outcome", "pending")
	check("A-3/public", "position", posExpert)
}

func TestWriteRankingCSV(t *testing.T) {
	r := exportResults(t)
	var buf bytes.Buffer
	if err := scorer.WriteRankingCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	records := readCSV(t, buf.Bytes())
	if !slices.Equal(records[0], scorer.RankingCSVHeader) {
		t.Fatalf("header %q", records[0])
	}
	// Within a shared place the order shown is by professional points: A-1 before A-2.
	want := [][]string{
		{posExpert, "1", "A-1", "Јована Петровић", "90", "20", "110", "true", "successful"},
		{posExpert, "1", "A-2", "Arbëresha Çollaku-Xhafëri", "80", "30", "110", "true", "successful"},
		{posExpert, "3", "A-3", `Ђорђе "Ђоле" Љубичић, ml.`, "70", "16", "86", "false", "successful"},
		{posHead, "", "H-1", "Dëshirë Ëngjëllushë", "50", "25", "75", "false", "pending"},
	}
	if !reflect.DeepEqual(records[1:], want) {
		t.Errorf("ranking rows:\n got %q\nwant %q", records[1:], want)
	}
}

func TestResultsJSON(t *testing.T) {
	r := exportResults(t)
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back scorer.Results
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, r) {
		t.Errorf("JSON round trip changed the results:\n got %+v\nwant %+v", back, r)
	}
	for _, name := range []string{"Јована Петровић", "Arbëresha Çollaku-Xhafëri", "Dëshirë Ëngjëllushë"} {
		if c := slices.IndexFunc(back.Candidates, func(c scorer.CandidateResult) bool { return c.Candidate.Name == name }); c < 0 {
			t.Errorf("name %q lost in JSON", name)
		}
	}
	// Every field name is snake_case; only language codes (map keys of texts) are not.
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	snake := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if !snake.MatchString(k) && !strings.HasSuffix(path, ".department") {
					t.Errorf("field %s.%s is not snake_case", path, k)
				}
				walk(path+"."+k, x)
			}
		case []any:
			for _, x := range v {
				walk(path+"[]", x)
			}
		}
	}
	walk("", doc)
	for _, field := range []string{`"professional_points"`, `"interview_verdict"`, `"sheet_id"`, `"pass_mark"`, `"ranking"`} {
		if !bytes.Contains(data, []byte(field)) {
			t.Errorf("no %s in the JSON", field)
		}
	}

	var buf bytes.Buffer
	if err := scorer.WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	var fromWriter scorer.Results
	if err := json.Unmarshal(buf.Bytes(), &fromWriter); err != nil || !reflect.DeepEqual(fromWriter, r) {
		t.Errorf("WriteJSON does not read back: %v", err)
	}
	if !strings.Contains(buf.String(), "Љубичић") || strings.Contains(buf.String(), `\u`) {
		t.Errorf("WriteJSON escapes text")
	}
}

type failingWriter struct{ after int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.after -= len(p); w.after < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestWriteErrors(t *testing.T) {
	r := exportResults(t)
	for _, after := range []int{0, 100} {
		if err := scorer.WriteCSV(&failingWriter{after}, r); err == nil {
			t.Errorf("WriteCSV to a failing writer (after %d bytes): no error", after)
		}
		if err := scorer.WriteRankingCSV(&failingWriter{after}, r); err == nil {
			t.Errorf("WriteRankingCSV to a failing writer (after %d bytes): no error", after)
		}
		if err := scorer.WriteJSON(&failingWriter{after}, r); err == nil {
			t.Errorf("WriteJSON to a failing writer (after %d bytes): no error", after)
		}
	}
}
