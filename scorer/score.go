package scorer

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"ispit/bank"
	"ispit/exam"
)

// DefaultMinGraders is how many graders each written task needs when Rules.MinGraders is unset.
const DefaultMinGraders = 1

// DefaultListSize is how many places the list of successful candidates has when
// Rules.ListSize is unset: the three with the most points, as DESIGN.md says.
const DefaultListSize = 3

// Rules are the commission's choices the answer key does not fix. The zero value is the
// default: one grader per written task, no limit on graders' disagreement, a list of three.
type Rules struct {
	// MinGraders is how many different graders must have graded every written task before
	// the part is scored; below 1 means DefaultMinGraders. A commission that requires two
	// graders sets 2.
	MinGraders int `json:"min_graders"`
	// Disagreement is the largest difference between two graders' points for one task that
	// stands without the secretary: when graders differ by more, the task is disputed and the
	// part pending until the secretary resolves it. 0 means no limit.
	Disagreement int `json:"disagreement"`
	// ListSize is how many places the list of successful candidates has; below 1 means
	// DefaultListSize.
	ListSize int `json:"list_size"`
}

// Limits of the rules a commission may set.
const (
	MaxMinGraders = 5
	MaxListSize   = 20
)

// Validate checks rules as the secretary sets them.
func (r Rules) Validate() error {
	switch {
	case r.MinGraders < 1 || r.MinGraders > MaxMinGraders:
		return fmt.Errorf("graders per task: 1 to %d", MaxMinGraders)
	case r.Disagreement < 0 || r.Disagreement > bank.ProfessionalMaxPoints:
		return fmt.Errorf("disagreement limit: 0 (none) to %d points", bank.ProfessionalMaxPoints)
	case r.ListSize < 1 || r.ListSize > MaxListSize:
		return fmt.Errorf("places on the list: 1 to %d", MaxListSize)
	}
	return nil
}

// WithDefaults returns the rules with every unset figure at its default.
func (r Rules) WithDefaults() Rules {
	r.MinGraders = r.minGraders()
	r.ListSize = r.listSize()
	return r
}

func (r Rules) minGraders() int {
	if r.MinGraders < 1 {
		return DefaultMinGraders
	}
	return r.MinGraders
}

func (r Rules) listSize() int {
	if r.ListSize < 1 {
		return DefaultListSize
	}
	return r.ListSize
}

// Errors ScoreSheet wraps, so callers can tell them apart with errors.Is.
var (
	// ErrKeyMismatch means the sheet is not of the answer key's bank: another bank id or
	// another manifest digest (e.g. a rebuilt bank), or a part the key does not have.
	ErrKeyMismatch = errors.New("sheet does not match the answer key")
	// ErrSheetInconsistent means the sheet names items or options the key's part does not
	// have, or otherwise cannot have come from an attempt of this part.
	ErrSheetInconsistent = errors.New("sheet is inconsistent with the answer key")
	// ErrInvalidGrade means a written-task grade is out of range or is not for a written
	// task of the sheet.
	ErrInvalidGrade = errors.New("invalid grade")
)

// Grade is one grader's points for one written task of one sheet.
type Grade struct {
	SheetID string    `json:"sheet_id"`
	ItemID  string    `json:"item_id"`
	Grader  string    `json:"grader"`
	Points  int       `json:"points"`
	Comment string    `json:"comment,omitempty"`
	At      time.Time `json:"at"`
}

// MaxCommentLength bounds a grader's comment and the secretary's notes, in characters.
const MaxCommentLength = 2000

// GraderPoints is one grader's standing grade of a task, as PartResult reports it.
type GraderPoints struct {
	Grader  string    `json:"grader"`
	Points  int       `json:"points"`
	Comment string    `json:"comment,omitempty"`
	At      time.Time `json:"at"`
}

// ItemResult is how one item of a sheet scored.
type ItemResult struct {
	ID   string        `json:"id"`
	Kind bank.ItemKind `json:"kind"`
	// Answer is the chosen option id of a multiple-choice item, "" when unanswered.
	Answer string `json:"answer,omitempty"`
	// CorrectOption is the key's correct option of a multiple-choice item.
	CorrectOption string `json:"correct_option,omitempty"`
	// Accepted are further options an amendment accepts as correct.
	Accepted []string `json:"accepted,omitempty"`
	// Voided reports that an amendment voided the item: it earns its points whatever the answer.
	Voided bool `json:"voided,omitempty"`
	// Correct reports whether the answer earns the item's points.
	Correct bool `json:"correct"`
	// Points are what the item earned: PointsPerItem for a correct answer, or a written
	// task's rounded mean of its graders' points (or the secretary's decision).
	Points int `json:"points"`
	// MaxPoints is what the item is worth.
	MaxPoints int `json:"max_points"`
	// Grades are a written task's standing grades, one per grader, ordered by grader.
	Grades []GraderPoints `json:"grades,omitempty"`
	// Required is how many graders a written task needs: the rules' minimum, or more when the
	// secretary asked for a further grader.
	Required int `json:"required,omitempty"`
	// Pending reports that a written task has fewer graders than required, or is disputed.
	Pending bool `json:"pending,omitempty"`
	// Disputed reports that a written task's graders differ by more than the rules allow and
	// the secretary has not resolved it.
	Disputed bool `json:"disputed,omitempty"`
	// Resolution is the secretary's standing resolution of a written task, if any.
	Resolution *Resolution `json:"resolution,omitempty"`
}

// PartResult is the score of one sheet: one candidate's attempt at one part.
type PartResult struct {
	SheetID string `json:"sheet_id"`
	// Candidate is the candidate as the sheet names them: code, name, position.
	Candidate      exam.SheetPerson `json:"candidate"`
	BankID         string           `json:"bank_id"`
	ManifestSHA256 string           `json:"manifest_sha256"`
	Part           string           `json:"part"`
	Kind           bank.PartKind    `json:"kind"`
	Language       string           `json:"language"`
	SubmittedAt    time.Time        `json:"submitted_at"`
	// Items are the sheet's items in the order the candidate saw them.
	Items []ItemResult `json:"items"`
	// Correct counts correctly answered multiple-choice items; 0 in a written part.
	Correct   int `json:"correct"`
	Points    int `json:"points"`
	MaxPoints int `json:"max_points"`
	PassMark  int `json:"pass_mark"`
	// Passed reports that Points reach PassMark; never true while Pending.
	Passed bool `json:"passed"`
	// Pending reports that a written task still lacks grades or is disputed; Points are then
	// partial.
	Pending bool `json:"pending"`
}

// ScoreSheet scores a sheet against its answer key with the default Rules and no
// resolutions; see Rules.ScoreSheet.
func ScoreSheet(key *Key, s *exam.Sheet, grades []Grade) (PartResult, error) {
	return Rules{}.ScoreSheet(key, s, grades, nil)
}

// ScoreSheet scores a sheet against its answer key and the key's amendments.
//
// Checks: the sheet must carry the key's bank id and manifest digest and name a part of the key
// (else ErrKeyMismatch); the part must apply to the candidate's position, and the sheet must
// list exactly the part's items (or, for a drawn part, items of its pool matching its topic
// quotas), each once, with answers and shown options that are options of the item (else
// ErrSheetInconsistent). grades and resolutions may hold those of other sheets, which are
// ignored; grades of this sheet must be for its written tasks, name a grader and give 0..the
// task's MaxPoints (else ErrInvalidGrade), and so must the points of a decision.
//
// Multiple-choice parts (the public exam and the professional multiple-choice variant): an
// answer is correct when it is the item's correct option in the key, or an option an
// amendment accepts besides it; an item an amendment voided is correct for every candidate
// who had it, answered or not. Each correct answer earns the part's PointsPerItem (1 in the
// public exam, 10 or 5 in the professional one); a wrong or missing answer earns nothing. The
// part is passed when its points reach the part's PassMark (11 of 21 in the public exam, 70 of
// 100 in the professional one). Every figure comes from the key, none from constants.
//
// Written parts: each grader gives each task whole points; a grader's grade with the latest At
// replaces their earlier ones (for equal times, the later one in grades). A task's points are
// the mean of its graders' points rounded half up to a whole point (24 and 25 give 25; 20, 20
// and 21 give 20); the part's points are the sum over its tasks, passed at the part's PassMark
// (75 of 100). A task needs r.MinGraders different graders, or as many as the secretary's
// standing request for a further grader says. When it has them but two of them differ by more
// than r.Disagreement points (if set), it is disputed, unless the secretary's request for a
// further grader has been met: then the mean of all its graders stands. The secretary's
// decision on a task sets its points outright. Until every task has its graders and none is
// disputed the part is Pending: neither passed nor failed, its Points the sum over the tasks
// graded so far. A blank task is graded like any other.
func (r Rules) ScoreSheet(key *Key, s *exam.Sheet, grades []Grade, resolutions []Resolution) (PartResult, error) {
	if key == nil || key.AnswerKey == nil || s == nil {
		return PartResult{}, errors.New("scoring a sheet: no answer key or no sheet")
	}
	part, err := checkSheet(key.AnswerKey, s)
	if err != nil {
		return PartResult{}, err
	}
	res := PartResult{
		SheetID:        s.SheetID,
		Candidate:      s.Candidate,
		BankID:         s.BankID,
		ManifestSHA256: s.ManifestSHA256,
		Part:           part.ID,
		Kind:           part.Kind,
		Language:       s.Language,
		SubmittedAt:    s.SubmittedAt,
		Items:          make([]ItemResult, 0, len(s.Items)),
		MaxPoints:      part.MaxPoints,
		PassMark:       part.PassMark,
	}
	if part.Kind == bank.PartProfessionalWritten {
		standing, err := standingGrades(key.AnswerKey, s, grades)
		if err != nil {
			return PartResult{}, err
		}
		decided, err := standingResolutions(key.AnswerKey, s, resolutions)
		if err != nil {
			return PartResult{}, err
		}
		for _, si := range s.Items {
			ki, _ := key.Item(si.ID)
			ir := r.scoreTask(ki, standing[si.ID], decided[si.ID])
			res.Pending = res.Pending || ir.Pending
			res.Points += ir.Points
			res.Items = append(res.Items, ir)
		}
	} else {
		for _, g := range grades {
			if g.SheetID == s.SheetID {
				return PartResult{}, fmt.Errorf("%w: sheet %s is a %s part; only written tasks are graded", ErrInvalidGrade, s.SheetID, part.Kind)
			}
		}
		for _, si := range s.Items {
			ki, _ := key.Item(si.ID)
			ir := ItemResult{ID: si.ID, Kind: ki.Kind, Answer: si.Answer, CorrectOption: ki.Correct,
				Accepted: key.Accepted(si.ID), Voided: key.Voided(si.ID), MaxPoints: part.PointsPerItem}
			if ir.Voided || (si.Answer != "" && key.Accepts(si.ID, si.Answer)) {
				ir.Correct = true
				ir.Points = part.PointsPerItem
				res.Correct++
			}
			res.Points += ir.Points
			res.Items = append(res.Items, ir)
		}
	}
	res.Passed = !res.Pending && res.Points >= res.PassMark
	return res, nil
}

// scoreTask scores one written task from its standing grades and resolution.
func (r Rules) scoreTask(ki *bank.KeyItem, grades []GraderPoints, resolution *Resolution) ItemResult {
	ir := ItemResult{ID: ki.ID, Kind: ki.Kind, MaxPoints: ki.MaxPoints, Grades: grades, Required: r.minGraders(), Resolution: resolution}
	further := resolution != nil && resolution.Kind == ResolveFurtherGrader
	if further {
		ir.Required = max(ir.Required, resolution.Graders)
	}
	if resolution != nil && resolution.Kind == ResolveDecision {
		ir.Points = resolution.Points
		return ir
	}
	if len(grades) > 0 {
		sum := 0
		for _, g := range grades {
			sum += g.Points
		}
		ir.Points = meanHalfUp(sum, len(grades))
	}
	ir.Pending = len(grades) < ir.Required
	if !ir.Pending && !further && r.Disagreement > 0 && Spread(grades) > r.Disagreement {
		ir.Disputed = true
		ir.Pending = true
	}
	return ir
}

// Spread is the largest difference between two graders' points.
func Spread(grades []GraderPoints) int {
	if len(grades) == 0 {
		return 0
	}
	lo, hi := grades[0].Points, grades[0].Points
	for _, g := range grades[1:] {
		lo, hi = min(lo, g.Points), max(hi, g.Points)
	}
	return hi - lo
}

// meanHalfUp is sum/n rounded half up, for sum ≥ 0 and n ≥ 1.
func meanHalfUp(sum, n int) int {
	return (2*sum + n) / (2 * n)
}

// checkSheet checks that s is a sheet of a part of key and returns the part.
func checkSheet(key *bank.AnswerKey, s *exam.Sheet) (*bank.Part, error) {
	inconsistent := func(format string, args ...any) error {
		return fmt.Errorf("%w: sheet %s: %s", ErrSheetInconsistent, s.SheetID, fmt.Sprintf(format, args...))
	}
	if s.Format != exam.SheetFormat {
		return nil, inconsistent("format %q, expected %q", s.Format, exam.SheetFormat)
	}
	if s.SheetID == "" {
		return nil, inconsistent("no sheet id")
	}
	if s.BankID != key.BankID {
		return nil, fmt.Errorf("%w: sheet %s is of bank %q, the key of bank %q", ErrKeyMismatch, s.SheetID, s.BankID, key.BankID)
	}
	if s.ManifestSHA256 != key.ManifestSHA256 {
		return nil, fmt.Errorf("%w: sheet %s is of bank %s with manifest digest %.12s…, the key's is %.12s… (another build of the bank)",
			ErrKeyMismatch, s.SheetID, s.BankID, s.ManifestSHA256, key.ManifestSHA256)
	}
	var part *bank.Part
	for i := range key.Parts {
		if key.Parts[i].ID == s.Part {
			part = &key.Parts[i]
		}
	}
	if part == nil {
		return nil, fmt.Errorf("%w: sheet %s is of part %q, which the key of bank %s does not have", ErrKeyMismatch, s.SheetID, s.Part, key.BankID)
	}
	if strings.TrimSpace(s.Candidate.Code) == "" {
		return nil, inconsistent("no candidate code")
	}
	if !part.AppliesTo(s.Candidate.Position) {
		return nil, inconsistent("candidate %s applied for position %q, which part %s is not for", s.Candidate.Code, s.Candidate.Position, part.ID)
	}
	wantKind := bank.ItemChoice
	switch part.Kind {
	case bank.PartPublic, bank.PartProfessionalChoice:
		if part.PointsPerItem < 1 {
			return nil, inconsistent("part %s of the key has no points per item", part.ID)
		}
	case bank.PartProfessionalWritten:
		wantKind = bank.ItemWritten
	default:
		return nil, inconsistent("part %s has unknown kind %q", part.ID, part.Kind)
	}
	if len(s.Items) != part.Count {
		return nil, inconsistent("%d items where part %s has %d", len(s.Items), part.ID, part.Count)
	}
	members := part.Items
	if part.Draw != nil {
		members = part.Draw.Pool
	}
	seen := make(map[string]bool, len(s.Items))
	topics := map[string]int{}
	for _, si := range s.Items {
		if seen[si.ID] {
			return nil, inconsistent("item %s appears twice", si.ID)
		}
		seen[si.ID] = true
		ki, ok := key.Item(si.ID)
		if !ok {
			return nil, inconsistent("item %q is not in the answer key", si.ID)
		}
		if !slices.Contains(members, si.ID) {
			return nil, inconsistent("item %s is not an item of part %s", si.ID, part.ID)
		}
		if ki.Kind != wantKind {
			return nil, inconsistent("item %s is a %s item in a %s part", si.ID, ki.Kind, part.Kind)
		}
		topics[ki.Topic]++
		if wantKind == bank.ItemWritten {
			if si.Answer != "" || len(si.Options) > 0 {
				return nil, inconsistent("written task %s has options or a chosen option", si.ID)
			}
			continue
		}
		if si.Text != "" {
			return nil, inconsistent("multiple-choice item %s has a written text", si.ID)
		}
		if si.Answer != "" && !slices.Contains(ki.Options, si.Answer) {
			return nil, inconsistent("item %s is answered with option %q, which it does not have", si.ID, si.Answer)
		}
		if len(si.Options) > 0 && !samePermutation(si.Options, ki.Options) {
			return nil, inconsistent("item %s shows options %v; the key has %v", si.ID, si.Options, ki.Options)
		}
	}
	if part.Draw != nil {
		for topic, n := range topics {
			if part.Draw.Quota[topic] != n {
				return nil, inconsistent("%d items of topic %q where part %s draws %d", n, topic, part.ID, part.Draw.Quota[topic])
			}
		}
	}
	return part, nil
}

// samePermutation reports whether a is b in some order, each element once.
func samePermutation(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y) && len(slices.Compact(x)) == len(a)
}

// Validate checks a grade as the commission enters it: for a written task of the sheet,
// by a named grader, within 0..the task's MaxPoints. The sheet must be one of the key (see
// ScoreSheet). Errors wrap ErrInvalidGrade, or the sheet's own error.
func (g Grade) Validate(key *bank.AnswerKey, s *exam.Sheet) error {
	if key == nil || s == nil {
		return errors.New("checking a grade: no answer key or no sheet")
	}
	if _, err := checkSheet(key, s); err != nil {
		return err
	}
	_, err := standingGrades(key, s, []Grade{g})
	switch {
	case err != nil:
		return err
	case g.SheetID != s.SheetID:
		return fmt.Errorf("%w: grade is for sheet %q, not %s", ErrInvalidGrade, g.SheetID, s.SheetID)
	case utf8.RuneCountInString(g.Comment) > MaxCommentLength || !utf8.ValidString(g.Comment):
		return fmt.Errorf("%w: a comment is at most %d characters", ErrInvalidGrade, MaxCommentLength)
	}
	return nil
}

// standingGrades checks the grades of sheet s (a checked written sheet) and returns each task's
// standing grades, the latest per grader, ordered by grader.
func standingGrades(key *bank.AnswerKey, s *exam.Sheet, grades []Grade) (map[string][]GraderPoints, error) {
	type slot struct{ item, grader string }
	latest := map[slot]GraderPoints{}
	for _, g := range grades {
		if g.SheetID != s.SheetID {
			continue
		}
		if !slices.ContainsFunc(s.Items, func(si exam.SheetItem) bool { return si.ID == g.ItemID }) {
			return nil, fmt.Errorf("%w: item %q is not on sheet %s", ErrInvalidGrade, g.ItemID, s.SheetID)
		}
		ki, _ := key.Item(g.ItemID)
		if ki.Kind != bank.ItemWritten {
			return nil, fmt.Errorf("%w: item %s of sheet %s is not a written task", ErrInvalidGrade, g.ItemID, s.SheetID)
		}
		grader := strings.TrimSpace(g.Grader)
		if grader == "" {
			return nil, fmt.Errorf("%w: a grade for task %s of sheet %s names no grader", ErrInvalidGrade, g.ItemID, s.SheetID)
		}
		if g.Points < 0 || g.Points > ki.MaxPoints {
			return nil, fmt.Errorf("%w: %s gives task %s of sheet %s %d points; it is worth 0 to %d",
				ErrInvalidGrade, grader, g.ItemID, s.SheetID, g.Points, ki.MaxPoints)
		}
		k := slot{g.ItemID, grader}
		if prev, ok := latest[k]; !ok || !g.At.Before(prev.At) {
			latest[k] = GraderPoints{Grader: grader, Points: g.Points, Comment: g.Comment, At: g.At}
		}
	}
	byItem := map[string][]GraderPoints{}
	for k, gp := range latest {
		byItem[k.item] = append(byItem[k.item], gp)
	}
	for _, gps := range byItem {
		slices.SortFunc(gps, func(a, b GraderPoints) int { return cmp.Compare(a.Grader, b.Grader) })
	}
	return byItem, nil
}
