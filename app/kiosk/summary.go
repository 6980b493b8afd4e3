package kiosk

import (
	"errors"
	"maps"
	"os"
	"slices"
	"time"

	"ispit/bank"
	"ispit/internal/container"
	"ispit/internal/sshsig"
)

// BankSummary is what an administrator checks of a bank before an exam, in figures taken from
// its signed manifest: the questions stay encrypted, so this is all there is to see.
type BankSummary struct {
	// Questions and Tasks count the distinct multiple-choice questions and written tasks the
	// parts use; Images the images of the payload.
	Questions, Tasks, Images int
	Parts                    []PartSummary
}

// PartSummary is one part of a bank as a candidate sits it.
type PartSummary struct {
	ID    string
	Title bank.Text
	Kind  bank.PartKind
	// Written says that the part's items are written tasks rather than questions.
	Written bool
	// Count is the number of items each candidate gets; Pool the number they come from.
	Count, Pool int
	// Drawn says that each candidate's items are drawn from the pool; otherwise every
	// candidate gets the same items.
	Drawn bool
	// Minutes is the time allowed, in whole minutes rounded up.
	Minutes             int
	PassMark, MaxPoints int
	// Positions are the codes of the positions whose candidates sit the part; nil for all.
	Positions []string
}

// SummarizeBank counts what a manifest describes.
func SummarizeBank(m *bank.Manifest) BankSummary {
	s := BankSummary{Images: m.Payload.Images}
	questions, tasks := map[string]bool{}, map[string]bool{}
	for _, p := range m.Parts {
		ps := PartSummary{
			ID: p.ID, Title: p.Title, Kind: p.Kind, Count: p.Count,
			Written:   p.Kind == bank.PartProfessionalWritten,
			Minutes:   int((p.Duration() + time.Minute - 1) / time.Minute),
			PassMark:  p.PassMark,
			MaxPoints: p.MaxPoints,
		}
		ids := p.Items
		if p.Draw != nil {
			ids, ps.Drawn = p.Draw.Pool, true
		}
		ps.Pool = len(ids)
		seen := questions
		if ps.Written {
			seen = tasks
		}
		for _, id := range ids {
			seen[id] = true
		}
		if !slices.Contains(p.Positions, "*") {
			ps.Positions = slices.Clone(p.Positions)
		}
		s.Parts = append(s.Parts, ps)
	}
	s.Questions, s.Tasks = len(questions), len(tasks)
	return s
}

// RosterSummary is what an administrator checks of a roster: how many candidates, for which
// positions, and who signed it.
type RosterSummary struct {
	Candidates int
	// Positions are the positions the candidates applied for, by code.
	Positions []PositionCount
	// Signer is the principal of the trusted key that signed the roster ("" for a plain key),
	// SignerKey that key's fingerprint (empty from SummarizeRoster, which has no signature).
	Signer, SignerKey string
}

// PositionCount is the number of a roster's candidates for one position.
type PositionCount struct {
	Code       string
	Candidates int
}

// SummarizeRoster counts a roster's candidates by position.
func SummarizeRoster(r *bank.Roster) RosterSummary {
	s := RosterSummary{Candidates: len(r.Candidates), Signer: r.Signer}
	count := map[string]int{}
	for _, c := range r.Candidates {
		count[c.Position]++
	}
	for _, code := range slices.Sorted(maps.Keys(count)) {
		s.Positions = append(s.Positions, PositionCount{Code: code, Candidates: count[code]})
	}
	return s
}

// RosterInfo checks the kiosk's roster again and summarizes it, with the fingerprint of the key
// that signed it. The error is ErrNoRoster before a roster is loaded, or why it is refused now.
func (k *Kiosk) RosterInfo() (*RosterSummary, error) {
	data, err := os.ReadFile(k.path("roster.signed"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNoRoster
	}
	if err != nil {
		return nil, err
	}
	r, err := bank.ReadRoster(data, k.trust, k.now())
	if err != nil {
		return nil, err
	}
	s := SummarizeRoster(r)
	// The roster verified, so these cannot fail; the key is only shown.
	if parts, err := container.ReadNamed(data, "roster", maxRosterFile, "roster.csv", "roster.csv.sig"); err == nil {
		if key, err := sshsig.Verify(parts[1], parts[0], bank.NamespaceRoster); err == nil {
			s.SignerKey = sshsig.Fingerprint(key)
		}
	}
	return &s, nil
}
