package scorer

import (
	"context"
	"errors"

	"ispit/bank"
	"ispit/exam"
)

// Appeal is what the commission looks at when a candidate appeals with a receipt code: the
// sheet as the candidate saw it (items and options in the order shown, the answers given)
// and how it was scored.
type Appeal struct {
	ReceiptCode string         `json:"receipt_code"`
	SheetID     string         `json:"sheet_id"`
	Terminal    string         `json:"terminal"`
	ReceivedAt  string         `json:"received_at"`
	Sheet       *exam.Sheet    `json:"sheet"`
	Score       *PartResult    `json:"score,omitempty"`
	Held        string         `json:"held,omitempty"` // why it is not scored yet
	Key         []bank.KeyItem `json:"key,omitempty"`
}

// DecodeSheet decodes a stored plain sheet.
func DecodeSheet(plain []byte) (*exam.Sheet, error) { return decodePlainSheet(plain) }

// LookUpAppeal builds the appeal view of a stored sheet.
func LookUpAppeal(ctx context.Context, store Store, rec *SheetRecord) (*Appeal, error) {
	s, err := decodePlainSheet(rec.Plain)
	if err != nil {
		return nil, err
	}
	a := &Appeal{
		ReceiptCode: rec.ReceiptCode,
		SheetID:     rec.SheetID,
		Terminal:    rec.Terminal,
		ReceivedAt:  rec.ReceivedAt.UTC().Format("2006-01-02T15:04:05Z"),
		Sheet:       s,
	}
	file, err := store.AnswerKeyFile(ctx, rec.BankID)
	if errors.Is(err, ErrNotFound) {
		a.Held = "no answer key loaded for this bank"
		return a, nil
	}
	if err != nil {
		return nil, err
	}
	key, err := bank.DecodeAnswerKey(file)
	if err != nil {
		return nil, err
	}
	grades, err := store.Grades(ctx)
	if err != nil {
		return nil, err
	}
	result, err := ScoreSheet(key, s, grades)
	if err != nil {
		a.Held = err.Error()
		return a, nil
	}
	a.Score = &result
	return a, nil
}
