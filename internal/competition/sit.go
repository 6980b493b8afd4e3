// Package competition sits the demo competition through the real attempt engine: the demo
// candidates of the signed demo roster sit the public exam and their position's professional
// part on one terminal, each with a set number of right answers or a written answer of a set
// quality, and every sheet is sealed to the scorer as a kiosk seals it. Nothing stands in for
// the kiosk: the sheets are those the engine writes. The console's tests and `make demo` use
// it to give the commission something to grade.
package competition

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"filippo.io/age"
	"golang.org/x/crypto/ssh"

	"ispit/assets"
	"ispit/bank"
	"ispit/bank/source"
	"ispit/exam"
	"ispit/internal/sshsig"
	"ispit/sheet"
)

// The parts of the demo bank and the positions whose candidates sit the written or the
// multiple-choice professional exam.
const (
	PublicPart      = "public"
	WrittenPart     = "professional-written"
	ChoicePart      = "professional-choice"
	WrittenPosition = "DEMO-12/2026"
	ChoicePosition  = "DEMO-14/2026"
)

// Sitting is how one candidate does: right answers in the public exam (of 21) and in the
// multiple-choice professional exam (of 10), or the quality of their written answers (0
// strong, 1 fair, 2 weak), and the language they sit in.
type Sitting struct {
	Code     string
	Language string
	Public   int
	Choice   int
	Written  int
	Absent   bool // on the roster, sits nothing
}

// Plan is the demo competition: six candidates per position, one of whom does not come.
var Plan = []Sitting{
	{Code: "DEMO-0001", Language: "bs", Public: 18, Written: 0},
	{Code: "DEMO-0002", Language: "hr", Public: 16, Written: 1},
	{Code: "DEMO-0003", Language: "sr-Cyrl", Public: 19, Choice: 9},
	{Code: "DEMO-0004", Language: "sq", Public: 14, Choice: 7},
	{Code: "DEMO-0005", Language: "bs", Public: 9, Written: 2},
	{Code: "DEMO-0006", Language: "hr", Public: 17, Choice: 8},
	{Code: "DEMO-0007", Language: "sr-Latn", Public: 20, Written: 0},
	{Code: "DEMO-0008", Language: "sr-Cyrl", Public: 13, Written: 2},
	{Code: "DEMO-0009", Language: "sq", Public: 15, Written: 1},
	{Code: "DEMO-0010", Language: "bs", Public: 12, Choice: 6},
	{Code: "DEMO-0011", Language: "hr", Absent: true},
	{Code: "DEMO-0012", Language: "en", Public: 21, Choice: 10},
}

// Files are the authority's signed files of the demo competition.
type Files struct {
	Bank, Answers, Roster []byte
	StartCode             string
}

// BuildFiles builds the demo bank (with the scrypt work factor given; 0 for the default) and
// signs the demo roster with the authority's key.
func BuildFiles(authority ssh.Signer, workFactor int) (*Files, error) {
	def, err := source.LoadFS(assets.DemoBankSource(), "bank.yaml")
	if err != nil {
		return nil, err
	}
	built, err := bank.Build(def, bank.BuildOptions{Signer: authority, WorkFactor: workFactor})
	if err != nil {
		return nil, err
	}
	roster, err := bank.SignRoster(assets.DemoRosterCSV(), authority)
	if err != nil {
		return nil, err
	}
	return &Files{Bank: built.Bank, Answers: built.Answers, Roster: roster, StartCode: built.StartCode}, nil
}

// Terminal is the exam-room PC the demo candidates sit at.
type Terminal struct {
	ID  string
	Key ssh.Signer
	Dir string // its exam database's folder
}

// Sheet is one sealed sheet, as the terminal's outbox holds it.
type Sheet struct {
	Candidate, Part string
	Sealed          []byte
}

// Sit opens the terminal's engine, starts a session of the demo bank and lets every candidate
// of the plan sit, sealing each sheet to the scorer's sheet key.
func Sit(files *Files, trust *sshsig.Trust, scorerKey *age.HybridRecipient, term Terminal, plan []Sitting) ([]Sheet, error) {
	now := time.Now()
	v, err := bank.Verify(files.Bank, trust, now)
	if err != nil {
		return nil, err
	}
	b, err := v.Open(files.StartCode)
	if err != nil {
		return nil, err
	}
	roster, err := bank.ReadRoster(files.Roster, trust, now)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(term.Dir, 0o700); err != nil {
		return nil, err
	}
	engine, err := exam.Open(filepath.Join(term.Dir, "exam.db"), exam.Options{
		TerminalID: term.ID, Secret: []byte("the demo terminal's secret, not a real one"), ProgramVersion: "demo",
		Sealer: &sheet.Sealer{Terminal: term.Key, Scorer: scorerKey},
	})
	if err != nil {
		return nil, err
	}
	defer engine.Close()
	session, err := engine.StartSession(b, roster, PublicPart, "demo proctor", files.StartCode)
	if err != nil {
		return nil, err
	}
	var sheets []Sheet
	for _, s := range plan {
		if s.Absent {
			continue
		}
		c, ok := roster.Candidate(s.Code)
		if !ok {
			return nil, fmt.Errorf("%s is not on the roster", s.Code)
		}
		parts := []string{PublicPart, ChoicePart}
		if c.Position == WrittenPosition {
			parts[1] = WrittenPart
		}
		for _, part := range parts {
			if err := sit(session, s, part); err != nil {
				return nil, fmt.Errorf("%s, part %s: %w", s.Code, part, err)
			}
		}
	}
	out, err := engine.Outbox()
	if err != nil {
		return nil, err
	}
	for _, o := range out {
		sheets = append(sheets, Sheet{Candidate: o.Candidate, Part: o.Part, Sealed: o.Sealed})
	}
	return sheets, nil
}

// sit lets one candidate sit one part as the plan says and submits; the engine seals the sheet
// into its outbox.
func sit(session *exam.Session, s Sitting, part string) error {
	a, err := session.Admit(s.Code, part)
	if err != nil {
		return err
	}
	if err := a.Begin(s.Language); err != nil {
		return err
	}
	right := s.Public
	if part == ChoicePart {
		right = s.Choice
	}
	for i := range a.Len() {
		v, err := a.Item(i)
		if err != nil {
			return err
		}
		if v.Item.Kind == bank.ItemWritten {
			answers, ok := writtenAnswers[v.Item.ID][s.Language]
			if !ok {
				return fmt.Errorf("no demo answer to %s in %s", v.Item.ID, s.Language)
			}
			if err := a.SetText(v.Item.ID, answers[s.Written]); err != nil {
				return err
			}
			continue
		}
		choice, err := answer(v, i < right)
		if err != nil {
			return err
		}
		if err := a.Choose(v.Item.ID, choice); err != nil {
			return err
		}
	}
	if err := a.FlushText(); err != nil {
		return err
	}
	_, err = a.Submit()
	return err
}

// demoKey is the right option of every multiple-choice item of the demo bank, from its
// source: the demo candidates know it, a kiosk never does.
var demoKey = sync.OnceValue(func() map[string]string {
	def, err := source.LoadFS(assets.DemoBankSource(), "bank.yaml")
	if err != nil {
		panic("competition: the embedded demo bank does not load: " + err.Error())
	}
	return def.Correct
})

var errNoOption = errors.New("the item has no option to choose")

// answer picks the right option of an item, or a wrong one.
func answer(v exam.ItemView, right bool) (string, error) {
	correct := demoKey()[v.Item.ID]
	if right && correct != "" {
		return correct, nil
	}
	for _, o := range v.Options {
		if o.ID != correct {
			return o.ID, nil
		}
	}
	return "", errNoOption
}
