package competition

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"golang.org/x/crypto/ssh"

	"ispit/bank"
	"ispit/exam"
	"ispit/scorer"
)

// A national competition at the scale the console's benchmarks measure: many positions, each
// with its candidates' public and professional sheets, stored as a scorer stores received
// sheets, with the graders' grades of every written task. The sheets are the plain sheets an
// attempt engine writes, events and all; they are stored without sealing, which the console
// never reads.

// Scale says how large a synthetic competition is.
type Scale struct {
	Positions   int // half of them sit the written professional exam, half the multiple-choice one
	PerPosition int // candidates per position, each with a public and a professional sheet
	Seed        uint64
}

// Synthetic is what Generate stored.
type Synthetic struct {
	Key        *bank.AnswerKey
	Answers    []byte // the signed answer key file
	Authority  ssh.Signer
	Sheets     int
	Candidates int
	Written    []string // the ids of the written sheets
}

// Generate builds an answer key for the scale, signs it with authority, and stores it with
// the sheets and two graders' grades of every written task.
func Generate(ctx context.Context, store scorer.Store, authority ssh.Signer, sc Scale) (*Synthetic, error) {
	def := syntheticBank(sc)
	built, err := bank.Build(def, bank.BuildOptions{Signer: authority, WorkFactor: 1})
	if err != nil {
		return nil, err
	}
	key, err := bank.DecodeAnswerKey(built.Answers)
	if err != nil {
		return nil, err
	}
	if err := store.PutAnswerKey(ctx, key.BankID, built.Answers); err != nil {
		return nil, err
	}
	syn := &Synthetic{Key: key, Answers: built.Answers, Authority: authority}
	rng := rand.New(rand.NewPCG(sc.Seed, 2026))
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	var batch []*scorer.SheetRecord
	flush := func() error {
		for _, r := range store.PutSheets(ctx, batch) {
			if r.Err != nil {
				return r.Err
			}
		}
		batch = batch[:0]
		return nil
	}
	for p := range sc.Positions {
		position := fmt.Sprintf("POS-%03d/2026", p+1)
		professional := "choice"
		if p%2 == 0 {
			professional = "written"
		}
		for c := range sc.PerPosition {
			syn.Candidates++
			person := exam.SheetPerson{Code: fmt.Sprintf("C-%03d-%03d", p+1, c+1), Name: fmt.Sprintf("Kandidat %d-%d", p+1, c+1), Position: position}
			ability := rng.Float64()
			for _, part := range []string{"public", professional} {
				s := syntheticSheet(key, part, person, ability, rng, at)
				plain, err := json.Marshal(s)
				if err != nil {
					return nil, err
				}
				batch = append(batch, &scorer.SheetRecord{SheetID: s.SheetID, Terminal: s.Terminal, Session: s.Session, BankID: key.BankID,
					SealedSHA256: s.SheetID, Sealed: []byte{0}, Plain: plain, ReceivedAt: at, Receipt: []byte{0}, ReceiptCode: s.SheetID[:11]})
				syn.Sheets++
				if part == "written" {
					syn.Written = append(syn.Written, s.SheetID)
				}
				if len(batch) == 500 {
					if err := flush(); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	for i, id := range syn.Written {
		for _, item := range []string{"w-1", "w-2"} {
			for g, grader := range []string{"ana", "boris"} {
				points := 30 + (i*7+g*3)%20
				gr := scorer.Grade{SheetID: id, ItemID: item, Grader: grader, Points: points, At: at}
				if err := store.PutGrade(ctx, gr, scorer.Audit(grader, scorer.AuditGrade, id, at, nil)); err != nil {
					return nil, err
				}
			}
		}
	}
	return syn, nil
}

// syntheticBank is a bank of one language: a public exam of 21 items, a multiple-choice
// professional exam of 10 and a written one of two tasks, for every position of the scale.
func syntheticBank(sc Scale) *bank.Definition {
	text := func(s string) bank.Text { return bank.Text{"bs": s} }
	def := &bank.Definition{ID: "national-2026", Title: text("Nacionalni konkurs"), Languages: []string{"bs"},
		ValidFrom: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), ValidUntil: time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC),
		Correct: map[string]string{}, Images: map[string][]byte{}}
	var written, choice []string
	for p := range sc.Positions {
		code := fmt.Sprintf("POS-%03d/2026", p+1)
		def.Positions = append(def.Positions, bank.Position{Code: code, Department: text(fmt.Sprintf("Odjel %d", p+1)), Openings: 1})
		if p%2 == 0 {
			written = append(written, code)
		} else {
			choice = append(choice, code)
		}
	}
	options := func() []bank.Option {
		var out []bank.Option
		for _, id := range []string{"a", "b", "c", "d"} {
			out = append(out, bank.Option{ID: id, Text: text("Odgovor " + id)})
		}
		return out
	}
	var public, prof []string
	for i := range 21 {
		id := fmt.Sprintf("pub-%02d", i+1)
		def.Items = append(def.Items, bank.Item{ID: id, Kind: bank.ItemChoice, Topic: "law", Stem: text("Pitanje " + id), Options: options()})
		def.Correct[id] = "abcd"[i%4 : i%4+1]
		public = append(public, id)
	}
	for i := range 10 {
		id := fmt.Sprintf("pro-%02d", i+1)
		def.Items = append(def.Items, bank.Item{ID: id, Kind: bank.ItemChoice, Topic: "field", Stem: text("Pitanje " + id), Options: options()})
		def.Correct[id] = "dcba"[i%4 : i%4+1]
		prof = append(prof, id)
	}
	for i := range 2 {
		id := fmt.Sprintf("w-%d", i+1)
		def.Items = append(def.Items, bank.Item{ID: id, Kind: bank.ItemWritten, Topic: "essay", Prompt: text("Zadatak " + id), MaxPoints: 50})
	}
	def.Parts = []bank.Part{
		{ID: "public", Kind: bank.PartPublic, Title: text("Javni ispit"), Positions: []string{"*"}, DurationSeconds: 1800,
			Count: 21, PointsPerItem: 1, MaxPoints: 21, PassMark: 11, Items: public},
		{ID: "choice", Kind: bank.PartProfessionalChoice, Title: text("Stručni test"), Positions: choice, DurationSeconds: 3600,
			Count: 10, PointsPerItem: 10, MaxPoints: 100, PassMark: 70, Items: prof},
		{ID: "written", Kind: bank.PartProfessionalWritten, Title: text("Pismeni zadaci"), Positions: written, DurationSeconds: 7200,
			Count: 2, MaxPoints: 100, PassMark: 75, Items: []string{"w-1", "w-2"}},
	}
	return def
}

// syntheticSheet is the plain sheet of one candidate's attempt at a part, as the engine writes
// it: the items in the order shown with shuffled options, the answers of a candidate of the
// given ability, the events of the attempt.
func syntheticSheet(key *bank.AnswerKey, partID string, person exam.SheetPerson, ability float64, rng *rand.Rand, at time.Time) *exam.Sheet {
	var part *bank.Part
	for i := range key.Parts {
		if key.Parts[i].ID == partID {
			part = &key.Parts[i]
		}
	}
	s := &exam.Sheet{Format: exam.SheetFormat, SheetID: fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", rng.Uint32(), rng.Uint32()&0xffff, rng.Uint32()&0xffff, rng.Uint32()&0xffff, rng.Uint64()&0xffffffffffff),
		Terminal: fmt.Sprintf("T-%02d", rng.IntN(40)+1), Session: "session-1", ProgramVersion: "synthetic", Candidate: person,
		BankID: key.BankID, ManifestSHA256: key.ManifestSHA256, Part: partID, Language: "bs",
		AllowanceMS: int64(part.DurationSeconds) * 1000, UsedMS: int64(part.DurationSeconds) * 900, SubmittedAt: at, SubmitReason: exam.SubmitCandidate}
	event := func(kind exam.EventKind, data any) {
		raw, _ := json.Marshal(data)
		s.Events = append(s.Events, exam.Event{Seq: len(s.Events) + 1, At: at, UsedMS: int64(len(s.Events)) * 30000, Kind: kind, Data: raw})
	}
	event("admitted", map[string]any{"items": part.Items, "part": partID, "candidate": person})
	for _, id := range part.Items {
		ki, _ := key.Item(id)
		si := exam.SheetItem{ID: id}
		if ki.Kind == bank.ItemWritten {
			si.Text = "Odgovor kandidata na zadatak, nekoliko rečenica dug, kakav se piše pod vremenskim pritiskom."
			event("text", map[string]any{"item": id, "text": si.Text})
		} else {
			si.Options = append([]string(nil), ki.Options...)
			rng.Shuffle(len(si.Options), func(i, j int) { si.Options[i], si.Options[j] = si.Options[j], si.Options[i] })
			si.Answer = ki.Correct
			if rng.Float64() > 0.35+0.6*ability {
				si.Answer = si.Options[rng.IntN(len(si.Options))]
			}
			event("visited", map[string]any{"item": id})
			event("chose", map[string]any{"item": id, "option": si.Answer})
		}
		s.Items = append(s.Items, si)
	}
	event("submitted", map[string]any{"reason": "candidate"})
	return s
}
