package scorer

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"ispit/bank"
	"ispit/internal/sshsig"
)

// Key is a bank's answer key with the authority's amendments applied in sequence: items voided
// (everyone who had the item gets its points) and further options accepted as correct.
type Key struct {
	*bank.AnswerKey
	// Amendments are the applied amendments, by sequence number from 1.
	Amendments []*bank.Amendment
	voided     map[string]bool
	accepted   map[string][]string
}

// KeyOf returns an answer key without amendments.
func KeyOf(k *bank.AnswerKey) *Key { key, _ := NewKey(k, nil); return key }

// NewKey applies amendments to an answer key. Each must be for the key (bank and manifest
// digest), check against it, and follow the one before: sequence numbers 1, 2, 3….
func NewKey(k *bank.AnswerKey, amendments []*bank.Amendment) (*Key, error) {
	key := &Key{AnswerKey: k, voided: map[string]bool{}, accepted: map[string][]string{}}
	ordered := slices.Clone(amendments)
	slices.SortFunc(ordered, func(a, b *bank.Amendment) int { return cmp.Compare(a.Sequence, b.Sequence) })
	for i, am := range ordered {
		if am.Sequence != i+1 {
			return nil, fmt.Errorf("amendments of bank %s: number %d where %d was due", k.BankID, am.Sequence, i+1)
		}
		if err := key.apply(am); err != nil {
			return nil, err
		}
	}
	return key, nil
}

func (k *Key) apply(am *bank.Amendment) error {
	if err := am.Check(k.AnswerKey); err != nil {
		return err
	}
	for _, c := range am.Changes {
		switch c.Action {
		case bank.AmendVoid:
			k.voided[c.Item] = true
		case bank.AmendAccept:
			if !slices.Contains(k.accepted[c.Item], c.Option) {
				k.accepted[c.Item] = append(k.accepted[c.Item], c.Option)
			}
		}
	}
	k.Amendments = append(k.Amendments, am)
	return nil
}

// Voided reports whether an amendment voided an item.
func (k *Key) Voided(item string) bool { return k.voided[item] }

// Accepted returns the options amendments accept for an item besides the key's own.
func (k *Key) Accepted(item string) []string { return slices.Clone(k.accepted[item]) }

// Accepts reports whether an option of an item earns its points: the key's correct option or
// one an amendment accepts.
func (k *Key) Accepts(item, option string) bool {
	ki, ok := k.Item(item)
	return ok && option != "" && (option == ki.Correct || slices.Contains(k.accepted[item], option))
}

// StoredAmendment is an amendment file as the scorer keeps it, with what it changed when it
// was applied.
type StoredAmendment struct {
	BankID   string
	Sequence int
	File     []byte // the signed file, as the authority issued it
	SHA256   string // of File
	LoadedAt time.Time
	LoadedBy string
	Effect   AmendmentEffect
}

// AmendmentEffect is what an amendment changed: every candidate whose points, outcome or
// place moved, before and after.
type AmendmentEffect struct {
	Sheets  int               `json:"sheets"` // sheets of the bank scored again
	Changes []CandidateChange `json:"changes"`
}

// CandidateChange is one candidate's standing before and after a change of the key.
type CandidateChange struct {
	Code     string   `json:"code"`
	Name     string   `json:"name"`
	Position string   `json:"position"`
	Before   Standing `json:"before"`
	After    Standing `json:"after"`
}

// Standing is a candidate's points, outcome and place.
type Standing struct {
	PublicPoints       int     `json:"public_points"`
	ProfessionalPoints int     `json:"professional_points"`
	Total              int     `json:"total"`
	Outcome            Outcome `json:"outcome"`
	Place              int     `json:"place,omitempty"`
}

func standingOf(c *CandidateResult) Standing {
	st := Standing{ProfessionalPoints: c.ProfessionalPoints, Total: c.Total, Outcome: c.Outcome, Place: c.Place}
	for _, p := range c.Parts {
		if p.SheetID == c.PublicSheet {
			st.PublicPoints = p.Points
		}
	}
	return st
}

// Compare lists the candidates whose standing differs between two sets of results, by
// position and code.
func Compare(before, after Results) []CandidateChange {
	was := map[string]*CandidateResult{}
	for i := range before.Candidates {
		was[strings.ToUpper(before.Candidates[i].Candidate.Code)] = &before.Candidates[i]
	}
	var out []CandidateChange
	for i := range after.Candidates {
		a := &after.Candidates[i]
		b := was[strings.ToUpper(a.Candidate.Code)]
		if b == nil {
			b = &CandidateResult{}
		}
		if sb, sa := standingOf(b), standingOf(a); sb != sa {
			out = append(out, CandidateChange{Code: a.Candidate.Code, Name: a.Candidate.Name, Position: a.Candidate.Position, Before: sb, After: sa})
		}
	}
	slices.SortFunc(out, func(x, y CandidateChange) int {
		return cmp.Or(cmp.Compare(x.Position, y.Position), cmp.Compare(x.Code, y.Code))
	})
	return out
}

// ErrAmendmentOrder refuses an amendment whose sequence number is not the bank's next.
var ErrAmendmentOrder = errors.New("amendment out of order")

// ApplyAmendment verifies a signed amendment file against the trusted authority keys, checks
// it against the bank's stored answer key and amendments, scores every sheet again with it and
// stores it with its effect and an audit entry. The same file again changes nothing and
// returns the stored one with loaded false. The board is the store's.
func ApplyAmendment(ctx context.Context, board *Board, file []byte, trust *sshsig.Trust, actor string, now time.Time) (sa *StoredAmendment, loaded bool, err error) {
	store := board.store
	am, _, err := bank.ReadAmendment(file, trust, now)
	if err != nil {
		return nil, false, err
	}
	sum := sha256.Sum256(file)
	digest := hex.EncodeToString(sum[:])
	stored, err := store.Amendments(ctx)
	if err != nil {
		return nil, false, err
	}
	next := 1
	for i := range stored {
		if stored[i].BankID != am.BankID {
			continue
		}
		if stored[i].SHA256 == digest {
			return &stored[i], false, nil
		}
		next = max(next, stored[i].Sequence+1)
	}
	if am.Sequence != next {
		return nil, false, fmt.Errorf("%w: this is amendment %d of bank %s; amendment %d is due", ErrAmendmentOrder, am.Sequence, am.BankID, next)
	}
	before, err := board.Current(ctx)
	if err != nil {
		return nil, false, err
	}
	key, ok := before.Keys[am.BankID]
	if !ok {
		if _, err := store.AnswerKeyFile(ctx, am.BankID); err != nil {
			return nil, false, fmt.Errorf("load the answer key of bank %s first: %w", am.BankID, err)
		}
		if key, err = loadKey(ctx, store, am.BankID, stored); err != nil {
			return nil, false, err
		}
	}
	amended, err := NewKey(key.AnswerKey, append(slices.Clone(key.Amendments), am))
	if err != nil {
		return nil, false, err
	}
	after := before.WithKey(amended)
	effect := AmendmentEffect{Changes: Compare(before.Report().Results, after.Results)}
	for _, bs := range before.Sheets {
		if bs.Record.BankID == am.BankID && bs.Sheet != nil {
			effect.Sheets++
		}
	}
	sa = &StoredAmendment{BankID: am.BankID, Sequence: am.Sequence, File: file, SHA256: digest, LoadedAt: now.UTC(), LoadedBy: actor, Effect: effect}
	detail := map[string]string{"bank": am.BankID, "sequence": fmt.Sprint(am.Sequence), "reason": am.Reason,
		"changes": fmt.Sprint(len(am.Changes)), "candidates": fmt.Sprint(len(effect.Changes))}
	if err := store.PutAmendment(ctx, *sa, Audit(actor, AuditAmendment, am.BankID, now, detail)); err != nil {
		return nil, false, err
	}
	return sa, true, nil
}

// Encode is the stored form of an amendment's effect.
func (e AmendmentEffect) Encode() string {
	data, _ := json.Marshal(e)
	return string(data)
}

// DecodeEffect reads the stored form of an amendment's effect.
func DecodeEffect(s string) (AmendmentEffect, error) {
	var e AmendmentEffect
	err := json.Unmarshal([]byte(s), &e)
	return e, err
}
