package scorer_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"ispit/bank"
	"ispit/exam"
	"ispit/scorer"
)

// Positions of the scoring fixture: one per kind of professional exam.
const (
	posExpert  = "KQZ-43/2023" // professional multiple-choice, 10 questions at 10 points
	posHead    = "KQZ-44/2023" // professional multiple-choice, 20 questions at 5 points, drawn
	posWritten = "KQZ-45/2023" // professional written tasks worth 30, 30 and 40
)

var scoringDigest = strings.Repeat("ab", 32)

// scoringKey is an answer key with a public part of 21 questions, a professional
// multiple-choice part of 10 and one of 20 (drawn from two topics), and a written part of three
// tasks. Choice items have options a, b, c, d; the correct one is b.
func scoringKey() *bank.AnswerKey {
	k := &bank.AnswerKey{
		Format:         bank.AnswerKeyFormat,
		BankID:         "demo-2023",
		ManifestSHA256: scoringDigest,
		PayloadSHA256:  strings.Repeat("cd", 32),
		Languages:      []string{"bs", "sr-Cyrl", "sq"},
		Positions: []bank.Position{
			{Code: posExpert, Openings: 1, Department: bank.Text{"bs": "Sektor za finansije"}},
			{Code: posHead, Openings: 1, Municipality: "Prishtinë"},
			{Code: posWritten, Openings: 2},
		},
	}
	choice := func(id, topic string) {
		k.Items = append(k.Items, bank.KeyItem{ID: id, Kind: bank.ItemChoice, Topic: topic, Options: []string{"a", "b", "c", "d"}, Correct: "b"})
	}
	var public, prof10, pool []string
	for i := range 21 {
		id := fmt.Sprintf("pub-%02d", i+1)
		choice(id, "law")
		public = append(public, id)
	}
	for i := range 10 {
		id := fmt.Sprintf("p10-%02d", i+1)
		choice(id, "finance")
		prof10 = append(prof10, id)
	}
	for i := range 30 {
		id := fmt.Sprintf("p20-%02d", i+1)
		topic := "management"
		if i%2 == 1 {
			topic = "budget"
		}
		choice(id, topic)
		pool = append(pool, id)
	}
	for i, pts := range []int{30, 30, 40} {
		k.Items = append(k.Items, bank.KeyItem{ID: fmt.Sprintf("w-%d", i+1), Kind: bank.ItemWritten, Topic: "essay", MaxPoints: pts})
	}
	k.Parts = []bank.Part{
		{ID: "public", Kind: bank.PartPublic, Positions: []string{"*"}, DurationSeconds: 1800,
			Count: 21, PointsPerItem: 1, MaxPoints: 21, PassMark: 11, Items: public},
		{ID: "prof-10", Kind: bank.PartProfessionalChoice, Positions: []string{posExpert}, DurationSeconds: 3600,
			Count: 10, PointsPerItem: 10, MaxPoints: 100, PassMark: 70, Items: prof10},
		{ID: "prof-20", Kind: bank.PartProfessionalChoice, Positions: []string{posHead}, DurationSeconds: 3600,
			Count: 20, PointsPerItem: 5, MaxPoints: 100, PassMark: 70,
			Draw: &bank.Draw{Pool: pool, Quota: map[string]int{"management": 10, "budget": 10}}},
		{ID: "written", Kind: bank.PartProfessionalWritten, Positions: []string{posWritten}, DurationSeconds: 7200,
			Count: 3, MaxPoints: 100, PassMark: 75, Items: []string{"w-1", "w-2", "w-3"}},
	}
	return k
}

// scoringSheet is a sheet of part partID with the first correct items answered right (b), the
// rest answered wrong (c) or, from skipFrom on, left blank. Options are shown reversed.
func scoringSheet(t *testing.T, key *bank.AnswerKey, partID, position string, correct int) *exam.Sheet {
	t.Helper()
	var part *bank.Part
	for i := range key.Parts {
		if key.Parts[i].ID == partID {
			part = &key.Parts[i]
		}
	}
	if part == nil {
		t.Fatalf("fixture has no part %s", partID)
	}
	ids := part.Items
	if part.Draw != nil {
		ids = part.Draw.Pool[:part.Count] // alternating topics: 10 of each
	}
	s := &exam.Sheet{
		Format:         exam.SheetFormat,
		SheetID:        "sheet-" + partID + "-" + fmt.Sprint(correct),
		Candidate:      exam.SheetPerson{Code: "C-001", Name: "Јована Петровић", Position: position},
		BankID:         key.BankID,
		ManifestSHA256: key.ManifestSHA256,
		Part:           partID,
		Language:       "sr-Cyrl",
		SubmittedAt:    time.Date(2023, 10, 14, 10, 30, 0, 0, time.UTC),
	}
	for i, id := range ids {
		si := exam.SheetItem{ID: id}
		if part.Kind != bank.PartProfessionalWritten {
			si.Options = []string{"d", "c", "b", "a"}
			if i < correct {
				si.Answer = "b"
			} else if i%2 == 0 {
				si.Answer = "c"
			}
		} else {
			si.Text = "Одговор / Përgjigja"
		}
		s.Items = append(s.Items, si)
	}
	return s
}

func TestScoreChoiceParts(t *testing.T) {
	key := scoringKey()
	tests := []struct {
		name      string
		part      string
		position  string
		correct   int
		points    int
		maxPoints int
		passMark  int
		passed    bool
	}{
		{"public 21 of 21", "public", posExpert, 21, 21, 21, 11, true},
		{"public 11 correct passes", "public", posExpert, 11, 11, 21, 11, true},
		{"public 10 correct fails", "public", posExpert, 10, 10, 21, 11, false},
		{"public none correct", "public", posWritten, 0, 0, 21, 11, false},
		{"10 questions: 7 correct is 70, passes", "prof-10", posExpert, 7, 70, 100, 70, true},
		{"10 questions: 6 correct is 60, fails", "prof-10", posExpert, 6, 60, 100, 70, false},
		{"10 questions: all correct is 100", "prof-10", posExpert, 10, 100, 100, 70, true},
		{"20 questions: 14 correct is 70, passes", "prof-20", posHead, 14, 70, 100, 70, true},
		{"20 questions: 13 correct is 65, fails", "prof-20", posHead, 13, 65, 100, 70, false},
		{"20 questions: all correct is 100", "prof-20", posHead, 20, 100, 100, 70, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := scoringSheet(t, key, tt.part, tt.position, tt.correct)
			r, err := scorer.ScoreSheet(scorer.KeyOf(key), s, nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Correct != tt.correct || r.Points != tt.points || r.MaxPoints != tt.maxPoints ||
				r.PassMark != tt.passMark || r.Passed != tt.passed || r.Pending {
				t.Errorf("got correct %d, %d/%d points, pass mark %d, passed %v, pending %v; want %d, %d/%d, %d, %v, false",
					r.Correct, r.Points, r.MaxPoints, r.PassMark, r.Passed, r.Pending, tt.correct, tt.points, tt.maxPoints, tt.passMark, tt.passed)
			}
			if len(r.Items) != len(s.Items) {
				t.Fatalf("%d item results for %d items", len(r.Items), len(s.Items))
			}
		})
	}
}

func TestScoreChoiceItemDetail(t *testing.T) {
	key := scoringKey()
	s := scoringSheet(t, key, "prof-10", posExpert, 1) // item 1 right, 2 blank, 3 wrong
	r, err := scorer.ScoreSheet(scorer.KeyOf(key), s, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []scorer.ItemResult{
		{ID: "p10-01", Kind: bank.ItemChoice, Answer: "b", CorrectOption: "b", Correct: true, Points: 10, MaxPoints: 10},
		{ID: "p10-02", Kind: bank.ItemChoice, Answer: "", CorrectOption: "b", Points: 0, MaxPoints: 10},
		{ID: "p10-03", Kind: bank.ItemChoice, Answer: "c", CorrectOption: "b", Points: 0, MaxPoints: 10},
	}
	for i, w := range want {
		got := r.Items[i]
		if got.ID != w.ID || got.Kind != w.Kind || got.Answer != w.Answer || got.CorrectOption != w.CorrectOption ||
			got.Correct != w.Correct || got.Points != w.Points || got.MaxPoints != w.MaxPoints || got.Grades != nil || got.Pending {
			t.Errorf("item %d: got %+v, want %+v", i, got, w)
		}
	}
	if r.SheetID != s.SheetID || r.Candidate != s.Candidate || r.BankID != key.BankID || r.Part != "prof-10" ||
		r.Kind != bank.PartProfessionalChoice || r.Language != "sr-Cyrl" || !r.SubmittedAt.Equal(s.SubmittedAt) {
		t.Errorf("header of the result: %+v", r)
	}
}

// The pass mark and points come from the key, not from constants.
func TestScoreUsesKeyFigures(t *testing.T) {
	key := scoringKey()
	key.Parts[1].PassMark = 71
	r, err := scorer.ScoreSheet(scorer.KeyOf(key), scoringSheet(t, key, "prof-10", posExpert, 7), nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Points != 70 || r.Passed {
		t.Errorf("70 points with pass mark 71: passed %v", r.Passed)
	}
	key = scoringKey()
	key.Parts[0].PointsPerItem = 2
	r, err = scorer.ScoreSheet(scorer.KeyOf(key), scoringSheet(t, key, "public", posExpert, 6), nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Points != 12 || !r.Passed || r.Correct != 6 {
		t.Errorf("6 correct at 2 points: %d points, passed %v", r.Points, r.Passed)
	}
}

var gradeTime = time.Date(2023, 10, 20, 9, 0, 0, 0, time.UTC)

func grade(sheet, item, grader string, points int, minutes int) scorer.Grade {
	return scorer.Grade{SheetID: sheet, ItemID: item, Grader: grader, Points: points, At: gradeTime.Add(time.Duration(minutes) * time.Minute)}
}

func TestScoreWritten(t *testing.T) {
	key := scoringKey()
	s := scoringSheet(t, key, "written", posWritten, 0)
	id := s.SheetID
	tests := []struct {
		name       string
		rules      scorer.Rules
		grades     []scorer.Grade
		points     int
		taskPoints []int
		passed     bool
		pending    bool
	}{
		{"75 passes", scorer.Rules{}, []scorer.Grade{
			grade(id, "w-1", "ana", 25, 0), grade(id, "w-2", "ana", 20, 0), grade(id, "w-3", "ana", 30, 0),
		}, 75, []int{25, 20, 30}, true, false},
		{"74 fails", scorer.Rules{}, []scorer.Grade{
			grade(id, "w-1", "ana", 25, 0), grade(id, "w-2", "ana", 19, 0), grade(id, "w-3", "ana", 30, 0),
		}, 74, []int{25, 19, 30}, false, false},
		{"all zero is graded and fails", scorer.Rules{}, []scorer.Grade{
			grade(id, "w-1", "ana", 0, 0), grade(id, "w-2", "ana", 0, 0), grade(id, "w-3", "ana", 0, 0),
		}, 0, []int{0, 0, 0}, false, false},
		{"full marks", scorer.Rules{}, []scorer.Grade{
			grade(id, "w-1", "ana", 30, 0), grade(id, "w-2", "ana", 30, 0), grade(id, "w-3", "ana", 40, 0),
		}, 100, []int{30, 30, 40}, true, false},
		{"mean of 25 and 26 rounds half up to 26", scorer.Rules{}, []scorer.Grade{
			grade(id, "w-1", "ana", 25, 0), grade(id, "w-1", "bora", 26, 0),
			grade(id, "w-2", "ana", 20, 0), grade(id, "w-3", "ana", 30, 0),
		}, 76, []int{26, 20, 30}, true, false},
		{"mean of 20, 20 and 21 rounds down to 20", scorer.Rules{}, []scorer.Grade{
			grade(id, "w-1", "ana", 25, 0),
			grade(id, "w-2", "ana", 20, 0), grade(id, "w-2", "bora", 20, 0), grade(id, "w-2", "cena", 21, 0),
			grade(id, "w-3", "ana", 30, 0),
		}, 75, []int{25, 20, 30}, true, false},
		{"mean of 20, 21 and 21 rounds up to 21", scorer.Rules{}, []scorer.Grade{
			grade(id, "w-1", "ana", 25, 0),
			grade(id, "w-2", "ana", 20, 0), grade(id, "w-2", "bora", 21, 0), grade(id, "w-2", "cena", 21, 0),
			grade(id, "w-3", "ana", 30, 0),
		}, 76, []int{25, 21, 30}, true, false},
		{"rounding is per task: 24 and 25 give 25, so 75 passes", scorer.Rules{}, []scorer.Grade{
			grade(id, "w-1", "ana", 24, 0), grade(id, "w-1", "bora", 25, 0),
			grade(id, "w-2", "ana", 20, 0), grade(id, "w-3", "ana", 30, 0),
		}, 75, []int{25, 20, 30}, true, false},
		{"no grades: pending", scorer.Rules{}, nil, 0, []int{0, 0, 0}, false, true},
		{"one task ungraded: pending with partial points", scorer.Rules{}, []scorer.Grade{
			grade(id, "w-1", "ana", 30, 0), grade(id, "w-2", "ana", 30, 0),
		}, 60, []int{30, 30, 0}, false, true},
		{"two graders required, one graded: pending", scorer.Rules{MinGraders: 2}, []scorer.Grade{
			grade(id, "w-1", "ana", 30, 0), grade(id, "w-2", "ana", 30, 0), grade(id, "w-3", "ana", 40, 0),
			grade(id, "w-1", "bora", 30, 0), grade(id, "w-2", "bora", 30, 0),
		}, 100, []int{30, 30, 40}, false, true},
		{"two graders required, both graded", scorer.Rules{MinGraders: 2}, []scorer.Grade{
			grade(id, "w-1", "ana", 30, 0), grade(id, "w-2", "ana", 30, 0), grade(id, "w-3", "ana", 40, 0),
			grade(id, "w-1", "bora", 20, 0), grade(id, "w-2", "bora", 30, 0), grade(id, "w-3", "bora", 40, 0),
		}, 95, []int{25, 30, 40}, true, false},
		{"a grader's same grade twice counts once", scorer.Rules{MinGraders: 2}, []scorer.Grade{
			grade(id, "w-1", "ana", 30, 0), grade(id, "w-2", "ana", 30, 0), grade(id, "w-3", "ana", 40, 0),
			grade(id, "w-1", "ana", 30, 5), grade(id, "w-2", "ana", 30, 5), grade(id, "w-3", "ana", 40, 5),
		}, 100, []int{30, 30, 40}, false, true},
		{"a later grade replaces the earlier one", scorer.Rules{}, []scorer.Grade{
			grade(id, "w-1", "ana", 10, 0), grade(id, "w-1", "ana", 25, 10),
			grade(id, "w-2", "ana", 20, 0), grade(id, "w-3", "ana", 30, 0),
		}, 75, []int{25, 20, 30}, true, false},
		{"an earlier grade listed later does not replace", scorer.Rules{}, []scorer.Grade{
			grade(id, "w-1", "ana", 25, 10), grade(id, "w-1", "ana", 10, 0),
			grade(id, "w-2", "ana", 20, 0), grade(id, "w-3", "ana", 30, 0),
		}, 75, []int{25, 20, 30}, true, false},
		{"grades of other sheets are ignored", scorer.Rules{}, []scorer.Grade{
			grade(id, "w-1", "ana", 25, 0), grade(id, "w-2", "ana", 20, 0), grade(id, "w-3", "ana", 30, 0),
			grade("another-sheet", "w-1", "ana", 99, 0), grade("another-sheet", "nope", "ana", 0, 0),
		}, 75, []int{25, 20, 30}, true, false},
		{"grader names are trimmed", scorer.Rules{MinGraders: 2}, []scorer.Grade{
			grade(id, "w-1", "ana", 30, 0), grade(id, "w-2", "ana", 30, 0), grade(id, "w-3", "ana", 40, 0),
			grade(id, "w-1", " ana ", 30, 1), grade(id, "w-2", "bora", 30, 0), grade(id, "w-3", "bora", 40, 0),
		}, 100, []int{30, 30, 40}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := tt.rules.ScoreSheet(scorer.KeyOf(key), s, tt.grades, nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Points != tt.points || r.Passed != tt.passed || r.Pending != tt.pending || r.MaxPoints != 100 || r.PassMark != 75 || r.Correct != 0 {
				t.Errorf("got %d/%d points (pass %d), passed %v, pending %v; want %d, %v, %v",
					r.Points, r.MaxPoints, r.PassMark, r.Passed, r.Pending, tt.points, tt.passed, tt.pending)
			}
			for i, want := range tt.taskPoints {
				if got := r.Items[i].Points; got != want {
					t.Errorf("task %s: %d points, want %d", r.Items[i].ID, got, want)
				}
			}
		})
	}
}

func TestScoreWrittenDetail(t *testing.T) {
	key := scoringKey()
	s := scoringSheet(t, key, "written", posWritten, 0)
	grades := []scorer.Grade{
		grade(s.SheetID, "w-1", "zora", 20, 0), grade(s.SheetID, "w-1", "ana", 10, 0), grade(s.SheetID, "w-1", "ana", 21, 3),
		grade(s.SheetID, "w-2", "ana", 30, 0),
	}
	r, err := scorer.Rules{MinGraders: 2}.ScoreSheet(scorer.KeyOf(key), s, grades, nil)
	if err != nil {
		t.Fatal(err)
	}
	w1 := r.Items[0]
	want := []scorer.GraderPoints{{Grader: "ana", Points: 21, At: gradeTime.Add(3 * time.Minute)}, {Grader: "zora", Points: 20, At: gradeTime}}
	if w1.ID != "w-1" || w1.Kind != bank.ItemWritten || w1.MaxPoints != 30 || w1.Points != 21 || w1.Pending || len(w1.Grades) != 2 ||
		w1.Grades[0] != want[0] || w1.Grades[1] != want[1] || w1.Answer != "" || w1.CorrectOption != "" {
		t.Errorf("task w-1: %+v", w1)
	}
	if w2 := r.Items[1]; !w2.Pending || w2.Points != 30 || len(w2.Grades) != 1 {
		t.Errorf("task w-2 with one of two graders: %+v", w2)
	}
	if w3 := r.Items[2]; !w3.Pending || w3.Points != 0 || w3.Grades != nil || w3.MaxPoints != 40 {
		t.Errorf("task w-3 without grades: %+v", w3)
	}
	if !r.Pending || r.Passed || r.Points != 51 {
		t.Errorf("part: %d points, pending %v, passed %v", r.Points, r.Pending, r.Passed)
	}
}

func TestScoreGradeErrors(t *testing.T) {
	key := scoringKey()
	s := scoringSheet(t, key, "written", posWritten, 0)
	id := s.SheetID
	tests := []struct {
		name string
		g    scorer.Grade
	}{
		{"above the task's max", grade(id, "w-1", "ana", 31, 0)},
		{"above the task's max, 40-point task", grade(id, "w-3", "ana", 41, 0)},
		{"negative", grade(id, "w-2", "ana", -1, 0)},
		{"no grader", grade(id, "w-2", "  ", 10, 0)},
		{"item not on the sheet", grade(id, "w-9", "ana", 10, 0)},
		{"choice item of the key", grade(id, "pub-01", "ana", 1, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scorer.ScoreSheet(scorer.KeyOf(key), s, []scorer.Grade{grade(id, "w-1", "ana", 5, 0), tt.g})
			if !errors.Is(err, scorer.ErrInvalidGrade) {
				t.Errorf("ScoreSheet: got %v, want ErrInvalidGrade", err)
			}
			if err := tt.g.Validate(key, s); !errors.Is(err, scorer.ErrInvalidGrade) {
				t.Errorf("Validate: got %v, want ErrInvalidGrade", err)
			}
		})
	}
	// The bounds themselves are valid.
	for _, g := range []scorer.Grade{grade(id, "w-1", "ana", 0, 0), grade(id, "w-1", "ana", 30, 0), grade(id, "w-3", "ana", 40, 0)} {
		if err := g.Validate(key, s); err != nil {
			t.Errorf("grade of %d for %s: %v", g.Points, g.ItemID, err)
		}
	}
	if err := grade("other", "w-1", "ana", 5, 0).Validate(key, s); !errors.Is(err, scorer.ErrInvalidGrade) {
		t.Errorf("grade for another sheet: %v", err)
	}
	// A multiple-choice sheet takes no grades.
	pub := scoringSheet(t, key, "public", posWritten, 11)
	if _, err := scorer.ScoreSheet(scorer.KeyOf(key), pub, []scorer.Grade{grade(pub.SheetID, "pub-01", "ana", 1, 0)}); !errors.Is(err, scorer.ErrInvalidGrade) {
		t.Errorf("grade on a public sheet: %v", err)
	}
	if err := grade(pub.SheetID, "pub-01", "ana", 1, 0).Validate(key, pub); !errors.Is(err, scorer.ErrInvalidGrade) {
		t.Errorf("Validate on a public sheet: %v", err)
	}
}

func TestScoreSheetErrors(t *testing.T) {
	key := scoringKey()
	tests := []struct {
		name   string
		part   string
		pos    string
		change func(*exam.Sheet)
		want   error
	}{
		{"wrong bank digest", "public", posExpert, func(s *exam.Sheet) { s.ManifestSHA256 = strings.Repeat("00", 32) }, scorer.ErrKeyMismatch},
		{"no bank digest", "public", posExpert, func(s *exam.Sheet) { s.ManifestSHA256 = "" }, scorer.ErrKeyMismatch},
		{"wrong bank id", "public", posExpert, func(s *exam.Sheet) { s.BankID = "demo-2024" }, scorer.ErrKeyMismatch},
		{"unknown part", "public", posExpert, func(s *exam.Sheet) { s.Part = "oral" }, scorer.ErrKeyMismatch},
		{"unknown item", "public", posExpert, func(s *exam.Sheet) { s.Items[3].ID = "pub-99" }, scorer.ErrSheetInconsistent},
		{"item of another part", "prof-10", posExpert, func(s *exam.Sheet) { s.Items[3].ID = "pub-01" }, scorer.ErrSheetInconsistent},
		{"item outside the draw pool", "prof-20", posHead, func(s *exam.Sheet) { s.Items[3].ID = "p10-01" }, scorer.ErrSheetInconsistent},
		{"draw against the quotas", "prof-20", posHead, func(s *exam.Sheet) { s.Items[0].ID = "p20-22" }, scorer.ErrSheetInconsistent},
		{"unknown option", "public", posExpert, func(s *exam.Sheet) { s.Items[0].Answer = "e" }, scorer.ErrSheetInconsistent},
		{"shown options not the item's", "public", posExpert, func(s *exam.Sheet) { s.Items[0].Options = []string{"a", "b", "c", "e"} }, scorer.ErrSheetInconsistent},
		{"shown option twice", "public", posExpert, func(s *exam.Sheet) { s.Items[0].Options = []string{"a", "b", "c", "c"} }, scorer.ErrSheetInconsistent},
		{"item twice", "public", posExpert, func(s *exam.Sheet) { s.Items[1].ID = s.Items[0].ID }, scorer.ErrSheetInconsistent},
		{"an item missing", "public", posExpert, func(s *exam.Sheet) { s.Items = s.Items[:20] }, scorer.ErrSheetInconsistent},
		{"no items", "prof-10", posExpert, func(s *exam.Sheet) { s.Items = nil }, scorer.ErrSheetInconsistent},
		{"part not for the candidate's position", "prof-10", posExpert, func(s *exam.Sheet) { s.Candidate.Position = posHead }, scorer.ErrSheetInconsistent},
		{"no candidate code", "public", posExpert, func(s *exam.Sheet) { s.Candidate.Code = "" }, scorer.ErrSheetInconsistent},
		{"no sheet id", "public", posExpert, func(s *exam.Sheet) { s.SheetID = "" }, scorer.ErrSheetInconsistent},
		{"unknown format", "public", posExpert, func(s *exam.Sheet) { s.Format = "ispit-sheet/9" }, scorer.ErrSheetInconsistent},
		{"written task with a chosen option", "written", posWritten, func(s *exam.Sheet) { s.Items[0].Answer = "a" }, scorer.ErrSheetInconsistent},
		{"choice item with a text", "public", posExpert, func(s *exam.Sheet) { s.Items[0].Text = "b" }, scorer.ErrSheetInconsistent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := scoringSheet(t, key, tt.part, tt.pos, 5)
			tt.change(s)
			r, err := scorer.ScoreSheet(scorer.KeyOf(key), s, nil)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v (result %+v), want %v", err, r.Points, tt.want)
			}
			if err.Error() == tt.want.Error() {
				t.Errorf("error %q says nothing about the sheet", err)
			}
		})
	}
	if _, err := scorer.ScoreSheet(nil, scoringSheet(t, key, "public", posExpert, 1), nil); err == nil {
		t.Error("no key: no error")
	}
	if _, err := scorer.ScoreSheet(scorer.KeyOf(key), nil, nil); err == nil {
		t.Error("no sheet: no error")
	}
}

// Sheets without shown options (older engines) and unanswered items score.
func TestScoreSheetWithoutShownOptions(t *testing.T) {
	key := scoringKey()
	s := scoringSheet(t, key, "public", posExpert, 11)
	for i := range s.Items {
		s.Items[i].Options = nil
	}
	r, err := scorer.ScoreSheet(scorer.KeyOf(key), s, nil)
	if err != nil || r.Points != 11 || !r.Passed {
		t.Fatalf("got %+v, %v", r.Points, err)
	}
}
