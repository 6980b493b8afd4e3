package scorer_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"ispit/bank"
	"ispit/scorer"
)

func TestDisagreementAndResolutions(t *testing.T) {
	key := scorer.KeyOf(scoringKey())
	s := scoringSheet(t, key.AnswerKey, "written", posWritten, 0)
	id := s.SheetID
	agreed := []scorer.Grade{ // w-1 and w-2: within 10 points; w-3: 30 against 10
		grade(id, "w-1", "ana", 25, 0), grade(id, "w-1", "boris", 20, 0),
		grade(id, "w-2", "ana", 20, 0), grade(id, "w-2", "boris", 30, 0),
		grade(id, "w-3", "ana", 30, 0), grade(id, "w-3", "boris", 10, 0),
	}
	at := gradeTime.Add(time.Hour)
	decision := scorer.Resolution{Seq: 1, SheetID: id, ItemID: "w-3", Kind: scorer.ResolveDecision, Points: 24, Note: "decided", By: "tajnica", At: at}
	further := scorer.Resolution{Seq: 2, SheetID: id, ItemID: "w-3", Kind: scorer.ResolveFurtherGrader, Graders: 3, By: "tajnica", At: at.Add(time.Minute)}
	third := grade(id, "w-3", "cvijeta", 26, 90)
	rules := scorer.Rules{MinGraders: 2, Disagreement: 10}
	tests := []struct {
		name        string
		rules       scorer.Rules
		grades      []scorer.Grade
		resolutions []scorer.Resolution
		w3          int
		disputed    bool
		pending     bool
		required    int
	}{
		{"no limit: the mean stands", scorer.Rules{MinGraders: 2}, agreed, nil, 20, false, false, 2},
		{"over the limit: disputed", rules, agreed, nil, 20, true, true, 2},
		{"a difference equal to the limit stands", scorer.Rules{MinGraders: 2, Disagreement: 20}, agreed, nil, 20, false, false, 2},
		{"a decision sets the points", rules, agreed, []scorer.Resolution{decision}, 24, false, false, 2},
		{"a further grader asked: pending", rules, agreed, []scorer.Resolution{further}, 20, false, true, 3},
		{"the further grader graded: the mean of three", rules, append(agreed, third), []scorer.Resolution{further}, 22, false, false, 3},
		{"the latest resolution stands", rules, append(agreed, third), []scorer.Resolution{further, decision}, 22, false, false, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := tt.rules.ScoreSheet(key, s, tt.grades, tt.resolutions)
			if err != nil {
				t.Fatal(err)
			}
			w3 := r.Items[2]
			if w3.Points != tt.w3 || w3.Disputed != tt.disputed || w3.Pending != tt.pending || w3.Required != tt.required || r.Pending != tt.pending {
				t.Errorf("w-3: %d points, disputed %v, pending %v, required %d (part pending %v)", w3.Points, w3.Disputed, w3.Pending, w3.Required, r.Pending)
			}
		})
	}
	for name, res := range map[string]scorer.Resolution{
		"decision over the maximum": {SheetID: id, ItemID: "w-3", Kind: scorer.ResolveDecision, Points: 41, Note: "x", By: "t"},
		"decision without a reason": {SheetID: id, ItemID: "w-3", Kind: scorer.ResolveDecision, Points: 4, By: "t"},
		"one grader":                {SheetID: id, ItemID: "w-3", Kind: scorer.ResolveFurtherGrader, Graders: 1, By: "t"},
		"unknown kind":              {SheetID: id, ItemID: "w-3", Kind: "coin-toss", By: "t"},
		"not on the sheet":          {SheetID: id, ItemID: "w-9", Kind: scorer.ResolveDecision, Points: 4, Note: "x", By: "t"},
		"nobody":                    {SheetID: id, ItemID: "w-3", Kind: scorer.ResolveDecision, Points: 4, Note: "x"},
		"another sheet":             {SheetID: "other", ItemID: "w-3", Kind: scorer.ResolveDecision, Points: 4, Note: "x", By: "t"},
	} {
		if err := res.Validate(key.AnswerKey, s); !errors.Is(err, scorer.ErrInvalidResolution) {
			t.Errorf("%s: %v", name, err)
		}
		if name != "another sheet" {
			if _, err := rules.ScoreSheet(key, s, agreed, []scorer.Resolution{res}); err == nil {
				t.Errorf("%s: scored", name)
			}
		}
	}
}

func TestInterviewMeanAndCompetences(t *testing.T) {
	parts := sat("C-7", "Ђорђе Đurić", posExpert, 11, 70)
	ivs := []scorer.Interview{interview("C-7", posExpert, 20, 0), interview("C-7", posExpert, 21, 1)}
	ivs[1].By = "dino"
	r := scorer.BuildResults(parts, ivs, nil)
	if c := candidate(t, r, "C-7"); c.InterviewPoints != 21 || len(c.Interviews) != 2 || c.Total != 91 {
		t.Errorf("20 and 21: %d points from %d interviewers, total %d", c.InterviewPoints, len(c.Interviews), c.Total)
	}
	ivs = append(ivs, interview("C-7", posExpert, 10, 2)) // komisija again, later: replaces 20
	if c := candidate(t, scorer.BuildResults(parts, ivs, nil), "C-7"); c.InterviewPoints != 16 {
		t.Errorf("10 and 21: %d", c.InterviewPoints)
	}

	pos := &bank.Position{Code: posExpert, Competences: []bank.Competence{{ID: "knowledge", MaxPoints: 20}, {ID: "manner", MaxPoints: 10}}}
	good := scorer.Interview{Candidate: "C-7", Position: posExpert, Points: 25, Competences: map[string]int{"knowledge": 17, "manner": 8}, By: "ana"}
	if err := good.ValidateFor(pos); err != nil {
		t.Error(err)
	}
	for name, iv := range map[string]scorer.Interview{
		"sum differs":      {Candidate: "C-7", Points: 24, Competences: map[string]int{"knowledge": 17, "manner": 8}, By: "ana"},
		"one missing":      {Candidate: "C-7", Points: 17, Competences: map[string]int{"knowledge": 17}, By: "ana"},
		"over its maximum": {Candidate: "C-7", Points: 28, Competences: map[string]int{"knowledge": 17, "manner": 11}, By: "ana"},
		"unknown":          {Candidate: "C-7", Points: 25, Competences: map[string]int{"knowledge": 17, "manner": 8, "charm": 0}, By: "ana"},
		"no interviewer":   {Candidate: "C-7", Points: 25, Competences: map[string]int{"knowledge": 17, "manner": 8}},
	} {
		if err := iv.ValidateFor(pos); !errors.Is(err, scorer.ErrInvalidInterview) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := good.ValidateFor(&bank.Position{Code: posExpert}); err == nil {
		t.Error("competences for a position without them")
	}
}

// amend returns an amendment of the scoring key.
func amend(sequence int, changes ...bank.AmendmentChange) *bank.Amendment {
	k := scoringKey()
	return &bank.Amendment{Format: "ispit-amendment/1", BankID: k.BankID, ManifestSHA256: k.ManifestSHA256, Sequence: sequence,
		IssuedAt: time.Now(), Reason: "decision 7/23", Changes: changes}
}

func TestAmendedKey(t *testing.T) {
	ak := scoringKey()
	s := scoringSheet(t, ak, "public", posExpert, 10) // pub-01..10 right (b), then c or blank
	base, err := scorer.ScoreSheet(scorer.KeyOf(ak), s, nil)
	if err != nil || base.Points != 10 {
		t.Fatal(base.Points, err)
	}
	key, err := scorer.NewKey(ak, []*bank.Amendment{
		amend(1, bank.AmendmentChange{Item: "pub-11", Action: bank.AmendVoid}, bank.AmendmentChange{Item: "pub-12", Action: bank.AmendVoid}),
		amend(2, bank.AmendmentChange{Item: "pub-13", Action: bank.AmendAccept, Option: "c"}, bank.AmendmentChange{Item: "pub-14", Action: bank.AmendAccept, Option: "a"}),
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := scorer.ScoreSheet(key, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	// pub-11 (answered c) and pub-12 (blank) are voided: both count; pub-13 answered c, now
	// accepted; pub-14 is blank, so accepting a does nothing.
	if r.Points != 13 || !r.Items[10].Voided || !r.Items[11].Correct || !r.Items[12].Correct || r.Items[13].Correct {
		t.Errorf("%d points; items 11–14: %+v", r.Points, r.Items[10:14])
	}
	if !key.Accepts("pub-13", "c") || !key.Accepts("pub-13", "b") || key.Accepts("pub-13", "d") || key.Accepts("pub-13", "") {
		t.Error("Accepts")
	}
	for name, ams := range map[string][]*bank.Amendment{
		"a gap":         {amend(2, bank.AmendmentChange{Item: "pub-11", Action: bank.AmendVoid})},
		"twice the one": {amend(1, bank.AmendmentChange{Item: "pub-11", Action: bank.AmendVoid}), amend(1, bank.AmendmentChange{Item: "pub-12", Action: bank.AmendVoid})},
		"unknown item":  {amend(1, bank.AmendmentChange{Item: "nope", Action: bank.AmendVoid})},
		"written task":  {amend(1, bank.AmendmentChange{Item: "w-1", Action: bank.AmendVoid})},
	} {
		if _, err := scorer.NewKey(ak, ams); err == nil {
			t.Errorf("%s: applied", name)
		}
	}
	other := amend(1, bank.AmendmentChange{Item: "pub-11", Action: bank.AmendVoid})
	other.ManifestSHA256 = strings.Repeat("00", 32)
	if _, err := scorer.NewKey(ak, []*bank.Amendment{other}); !errors.Is(err, bank.ErrAmendmentMismatch) {
		t.Errorf("another build's amendment: %v", err)
	}
}

func TestCompare(t *testing.T) {
	before := scorer.BuildResults(append(sat("A", "Ana", posExpert, 11, 70), sat("B", "Bo", posExpert, 12, 80)...),
		[]scorer.Interview{interview("A", posExpert, 20, 0), interview("B", posExpert, 20, 0)}, nil)
	after := scorer.BuildResults(append(sat("A", "Ana", posExpert, 11, 90), sat("B", "Bo", posExpert, 12, 80)...),
		[]scorer.Interview{interview("A", posExpert, 20, 0), interview("B", posExpert, 20, 0)}, nil)
	changes := scorer.Compare(before, after)
	if len(changes) != 2 || changes[0].Code != "A" || changes[0].Before.Place != 2 || changes[0].After.Place != 1 ||
		changes[0].Before.Total != 90 || changes[0].After.Total != 110 || changes[1].Before.Place != 1 || changes[1].After.Place != 2 {
		t.Errorf("changes %+v", changes)
	}
	if len(scorer.Compare(before, before)) != 0 {
		t.Error("no change, yet changes")
	}
}

func TestPasswords(t *testing.T) {
	h := scorer.HashPassword("ispravna lozinka")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=4$") {
		t.Errorf("hash %s", h)
	}
	if !scorer.VerifyPassword(h, "ispravna lozinka") || scorer.VerifyPassword(h, "ispravna lozinkA") || scorer.VerifyPassword(h, "") {
		t.Error("VerifyPassword")
	}
	if h == scorer.HashPassword("ispravna lozinka") {
		t.Error("no salt")
	}
	for _, bad := range []string{"", "$argon2id$", "$argon2i$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		strings.Replace(h, "m=65536", "m=4294967295", 1), strings.Replace(h, "t=3", "t=0", 1), h[:len(h)-10]} {
		if scorer.VerifyPassword(bad, "ispravna lozinka") {
			t.Errorf("%q verifies", bad)
		}
	}
	for pw, ok := range map[string]bool{"123456789": false, "1234567890": true, strings.Repeat("ž", 128): true, strings.Repeat("x", 129): false, "\xff\xfe123456789": false} {
		if (scorer.CheckPassword(pw) == nil) != ok {
			t.Errorf("CheckPassword(%.12q)", pw)
		}
	}
	a, b := scorer.OneTimePassword(), scorer.OneTimePassword()
	if a == b || len(a) != 19 || scorer.CheckPassword(a) != nil {
		t.Errorf("one-time passwords %s %s", a, b)
	}
}

func TestRoles(t *testing.T) {
	roles, err := scorer.ParseRoles(" Interviewer, grader,grader ")
	if err != nil || len(roles) != 2 || roles[0] != scorer.RoleGrader || roles[1] != scorer.RoleInterviewer {
		t.Errorf("%v %v", roles, err)
	}
	for _, bad := range []string{"", ",", "admin", "grader,root"} {
		if _, err := scorer.ParseRoles(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	for name, ok := range map[string]bool{"ana": true, "Ana ": true, "a": false, "ana.b-c_d": true, "-ana": false, "ana marić": false, strings.Repeat("a", 33): false, "ćiro": false} {
		if _, err := scorer.NormalizeUserName(name); (err == nil) != ok {
			t.Errorf("user name %q: %v", name, err)
		}
	}
}

func TestScriptCodes(t *testing.T) {
	a := scorer.ScriptCode([]byte("secret one"), "sheet-1")
	if len(a) != 9 || a[4] != '-' || a != scorer.ScriptCode([]byte("secret one"), "sheet-1") {
		t.Errorf("script code %q", a)
	}
	if a == scorer.ScriptCode([]byte("secret two"), "sheet-1") || a == scorer.ScriptCode([]byte("secret one"), "sheet-2") {
		t.Error("script codes collide")
	}
	if c, ok := scorer.NormalizeScriptCode(strings.ToLower(strings.ReplaceAll(a, "-", " "))); !ok || c != a {
		t.Errorf("normalized %q, %v", c, ok)
	}
	for _, bad := range []string{"", "ABCD-EFG", "ABCD-EFGHI", "ABCD-EFGU", "../../etc"} {
		if _, ok := scorer.NormalizeScriptCode(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}
