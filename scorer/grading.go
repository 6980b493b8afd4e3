package scorer

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"ispit/bank"
	"ispit/exam"
)

// ResolutionKind is how the secretary resolves a disputed written task.
type ResolutionKind string

// The ways to resolve a dispute.
const (
	// ResolveDecision sets the task's points outright, with a recorded reason.
	ResolveDecision ResolutionKind = "decision"
	// ResolveFurtherGrader asks one more grader to grade the task; the mean of all its
	// graders then stands.
	ResolveFurtherGrader ResolutionKind = "further-grader"
)

// Resolution is the secretary's resolution of a written task whose graders disagree. The
// latest resolution of a task stands.
type Resolution struct {
	Seq     int64          `json:"seq"` // numbered by the store
	SheetID string         `json:"sheet_id"`
	ItemID  string         `json:"item_id"`
	Kind    ResolutionKind `json:"kind"`
	// Points are a decision's points for the task.
	Points int `json:"points,omitempty"`
	// Graders is how many graders the task needs after a request for a further grader.
	Graders int       `json:"graders,omitempty"`
	Note    string    `json:"note"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
}

// ErrInvalidResolution refuses a resolution that does not fit its task.
var ErrInvalidResolution = fmt.Errorf("invalid resolution")

// standingResolutions checks the resolutions of sheet s (a checked written sheet) and returns
// each task's standing one: the latest (by At, then Seq).
func standingResolutions(key *bank.AnswerKey, s *exam.Sheet, resolutions []Resolution) (map[string]*Resolution, error) {
	out := map[string]*Resolution{}
	for i := range resolutions {
		r := &resolutions[i]
		if r.SheetID != s.SheetID {
			continue
		}
		if err := r.check(key, s); err != nil {
			return nil, err
		}
		if prev := out[r.ItemID]; prev == nil || r.At.After(prev.At) || (r.At.Equal(prev.At) && r.Seq >= prev.Seq) {
			out[r.ItemID] = r
		}
	}
	return out, nil
}

func (r *Resolution) check(key *bank.AnswerKey, s *exam.Sheet) error {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%w: task %s of sheet %s: %s", ErrInvalidResolution, r.ItemID, s.SheetID, fmt.Sprintf(format, args...))
	}
	if !slices.ContainsFunc(s.Items, func(si exam.SheetItem) bool { return si.ID == r.ItemID }) {
		return fail("not on the sheet")
	}
	ki, _ := key.Item(r.ItemID)
	if ki.Kind != bank.ItemWritten {
		return fail("not a written task")
	}
	switch r.Kind {
	case ResolveDecision:
		if r.Points < 0 || r.Points > ki.MaxPoints {
			return fail("a decision gives 0 to %d points, not %d", ki.MaxPoints, r.Points)
		}
	case ResolveFurtherGrader:
		if r.Graders < 2 || r.Graders > 2*MaxMinGraders {
			return fail("a further grader makes 2 to %d graders, not %d", 2*MaxMinGraders, r.Graders)
		}
	default:
		return fail("unknown kind %q", r.Kind)
	}
	if strings.TrimSpace(r.Note) == "" && r.Kind == ResolveDecision {
		return fail("a decision needs its reason")
	}
	if utf8.RuneCountInString(r.Note) > MaxCommentLength || !utf8.ValidString(r.Note) {
		return fail("a note is at most %d characters", MaxCommentLength)
	}
	if strings.TrimSpace(r.By) == "" {
		return fail("names nobody")
	}
	return nil
}

// Validate checks a resolution as the secretary enters it, against the sheet and its key.
func (r Resolution) Validate(key *bank.AnswerKey, s *exam.Sheet) error {
	if key == nil || s == nil {
		return fmt.Errorf("checking a resolution: no answer key or no sheet")
	}
	if _, err := checkSheet(key, s); err != nil {
		return err
	}
	if r.SheetID != s.SheetID {
		return fmt.Errorf("%w: for sheet %q, not %s", ErrInvalidResolution, r.SheetID, s.SheetID)
	}
	return r.check(key, s)
}

// ScriptCode is the anonymous code a written sheet is graded under: 40 bits of an HMAC of the
// sheet id under the scorer's script secret, as eight Crockford base32 symbols ("K7M2-Q9XA").
// Nobody without the secret can tie a code to a sheet, and so to a candidate; the codes are
// not the receipt codes candidates hold.
func ScriptCode(secret []byte, sheetID string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("ispit script code\x00" + sheetID))
	s := base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding).EncodeToString(m.Sum(nil)[:5])
	return s[:4] + "-" + s[4:]
}

// ScriptSecretName is the name of the store secret ScriptCode uses.
const ScriptSecretName = "script-codes"

// NormalizeScriptCode reads a script code as typed: case and dashes do not matter.
func NormalizeScriptCode(typed string) (string, bool) {
	s := strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(typed))
	if len(s) != 8 || strings.Trim(s, "0123456789ABCDEFGHJKMNPQRSTVWXYZ") != "" {
		return "", false
	}
	return s[:4] + "-" + s[4:], true
}

// Task is one written task of one script, as the grading screens list it: never the
// candidate's name, code, terminal or the sheet id.
type Task struct {
	Script   string // the script code
	ItemID   string
	Number   int // the task's place on the sheet, from 1
	Of       int // the tasks on the sheet
	Position string
	// MaxPoints is what the task is worth.
	MaxPoints int
	Graders   int // how many graders have graded it
	Required  int
	Disputed  bool
	Decided   bool
	// Mine is the asking grader's own grade, if they gave one.
	Mine *GraderPoints
	// Closed says the task can no longer be graded: the position's results are published.
	Closed bool
}

// GraderQueue is what one grader sees: the tasks still waiting for them, and those they graded.
type GraderQueue struct {
	ToGrade []Task
	Graded  []Task
}

// Queue lists a grader's tasks: those they have not graded that need another grader (and are
// not decided by the secretary), and those they graded. Tasks are ordered by script code, so
// that the order tells nothing about who wrote them.
func (sn *Snapshot) Queue(grader string) GraderQueue {
	var q GraderQueue
	for _, t := range sn.Tasks(grader) {
		switch {
		case t.Mine != nil:
			q.Graded = append(q.Graded, t)
		case t.waiting():
			q.ToGrade = append(q.ToGrade, t)
		}
	}
	return q
}

// waiting reports whether a task the grader has not graded waits for them.
func (t Task) waiting() bool {
	return t.Mine == nil && !t.Decided && !t.Closed && t.Graders < t.Required
}

// Next returns the task of a grader's queue to grade after the one given: the next one in the
// queue's order, or failing that the first.
func (sn *Snapshot) Next(grader, script, item string) (Task, bool) {
	from, _ := slices.BinarySearchFunc(sn.written, script, func(w *BoardSheet, s string) int { return cmp.Compare(w.Script, s) })
	for k := range sn.written {
		bs := sn.written[(from+k)%len(sn.written)]
		for i := range bs.Result.Items {
			if t := sn.task(bs, i, grader); t.waiting() && (t.Script != script || t.ItemID != item) {
				return t, true
			}
		}
	}
	return Task{}, false
}

// Task returns one written task of a script as a grader sees it.
func (sn *Snapshot) Task(grader, script, item string) (Task, bool) {
	bs, ok := sn.byScript[script]
	if !ok || bs.Result == nil {
		return Task{}, false
	}
	for i, ir := range bs.Result.Items {
		if ir.ID == item {
			return sn.task(bs, i, grader), true
		}
	}
	return Task{}, false
}

// Disputes lists the written tasks the secretary must resolve, ordered by script code.
func (sn *Snapshot) Disputes() []Task {
	var out []Task
	for _, t := range sn.Tasks("") {
		if t.Disputed {
			out = append(out, t)
		}
	}
	return out
}

// Tasks lists every written task of every scored written sheet, by script code and task, with
// the grader's own grade where they gave one.
func (sn *Snapshot) Tasks(grader string) []Task {
	var out []Task
	for _, bs := range sn.written {
		for i := range bs.Result.Items {
			out = append(out, sn.task(bs, i, grader))
		}
	}
	return out
}

// task is the i-th task of a written sheet as a grader sees it.
func (sn *Snapshot) task(bs *BoardSheet, i int, grader string) Task {
	r := bs.Result
	ir := r.Items[i]
	t := Task{
		Script: bs.Script, ItemID: ir.ID, Number: i + 1, Of: len(r.Items), Position: r.Candidate.Position,
		MaxPoints: ir.MaxPoints, Graders: len(ir.Grades), Required: ir.Required, Disputed: ir.Disputed,
		Decided: ir.Resolution != nil && ir.Resolution.Kind == ResolveDecision,
		Closed:  sn.Published(r.Candidate.Position),
	}
	for _, g := range ir.Grades {
		if g.Grader == grader {
			t.Mine = &g
		}
	}
	return t
}

// GradingProgress counts a position's written tasks by state.
type GradingProgress struct {
	Tasks    int // every written task of the position's scored written sheets
	Graded   int // with their graders, not disputed (or decided)
	Disputed int
}

// Complete reports that every task is graded and no dispute is open.
func (p GradingProgress) Complete() bool { return p.Graded == p.Tasks }

// Progress counts the written tasks of a position.
func (sn *Snapshot) Progress(position string) GradingProgress {
	var p GradingProgress
	for _, bs := range sn.written {
		if bs.Result.Candidate.Position != position {
			continue
		}
		for _, ir := range bs.Result.Items {
			p.Tasks++
			switch {
			case ir.Disputed:
				p.Disputed++
			case !ir.Pending:
				p.Graded++
			}
		}
	}
	return p
}

// Revealed reports whether the candidates of a position may be shown by name: only once every
// written task of the position is graded and no dispute is open, so that nobody links a
// script to a name while grading goes on.
func (sn *Snapshot) Revealed(position string) bool { return sn.Progress(position).Complete() }
