package scorer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"ispit/exam"
)

// Held is a stored sheet that cannot be scored yet: its bank has no answer key loaded, or the
// sheet does not fit the key (Reason says which).
type Held struct {
	SheetID   string `json:"sheet_id"`
	BankID    string `json:"bank_id"`
	Candidate string `json:"candidate"`
	Reason    string `json:"reason"`
}

// Report is everything the scorer knows: the results and the sheets it holds.
type Report struct {
	Results Results `json:"results"`
	Held    []Held  `json:"held"`
}

// BuildReport scores every stored sheet against its bank's answer key and amendments with the
// graders' points and the secretary's resolutions, under the commission's stored rules, adds
// the interviews, and builds the results. Sheets of banks without a key are held.
func BuildReport(ctx context.Context, store Store) (*Report, error) {
	sn, err := NewBoard(store, nil).Current(ctx)
	if err != nil {
		return nil, err
	}
	return sn.Report(), nil
}

func decodePlainSheet(plain []byte) (*exam.Sheet, error) {
	var s exam.Sheet
	dec := json.NewDecoder(bytes.NewReader(plain))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("the stored plain sheet does not decode: %v", err)
	}
	return &s, nil
}

// skippedValue is a JSON value read past and not kept.
type skippedValue struct{}

func (*skippedValue) UnmarshalJSON([]byte) error { return nil }

// decodeScoredSheet decodes a stored plain sheet strictly but without its events, which
// scoring never reads and which make up most of a sheet: the event log of a written task holds
// every batch of keystrokes.
func decodeScoredSheet(plain []byte) (*exam.Sheet, error) {
	var s struct {
		exam.Sheet
		Events skippedValue `json:"events"` // shadows the sheet's own events
	}
	dec := json.NewDecoder(bytes.NewReader(plain))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("the stored plain sheet does not decode: %v", err)
	}
	return &s.Sheet, nil
}
