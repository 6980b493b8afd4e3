package scorer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"ispit/bank"
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

// BuildReport scores every stored sheet against its bank's answer key with the graders'
// points, adds the interviews, and builds the results. Sheets of banks without a key are held.
func BuildReport(ctx context.Context, store Store, rules Rules) (*Report, error) {
	sheets, err := store.Sheets(ctx)
	if err != nil {
		return nil, err
	}
	grades, err := store.Grades(ctx)
	if err != nil {
		return nil, err
	}
	interviews, err := store.Interviews(ctx)
	if err != nil {
		return nil, err
	}
	keys := map[string]*bank.AnswerKey{}
	var positions []bank.Position
	seenPosition := map[string]bool{}
	report := &Report{}
	var parts []PartResult
	for _, rec := range sheets {
		key, ok := keys[rec.BankID]
		if !ok {
			file, err := store.AnswerKeyFile(ctx, rec.BankID)
			switch {
			case errors.Is(err, ErrNotFound):
			case err != nil:
				return nil, err
			default:
				if key, err = bank.DecodeAnswerKey(file); err != nil {
					return nil, fmt.Errorf("the stored answer key of bank %s: %w", rec.BankID, err)
				}
				for _, p := range key.Positions {
					if !seenPosition[p.Code] {
						seenPosition[p.Code] = true
						positions = append(positions, p)
					}
				}
			}
			keys[rec.BankID] = key
		}
		s, err := decodePlainSheet(rec.Plain)
		if err != nil {
			report.Held = append(report.Held, Held{rec.SheetID, rec.BankID, "", err.Error()})
			continue
		}
		if key == nil {
			report.Held = append(report.Held, Held{rec.SheetID, rec.BankID, s.Candidate.Code, "no answer key loaded for this bank"})
			continue
		}
		result, err := rules.ScoreSheet(key, s, grades)
		if err != nil {
			report.Held = append(report.Held, Held{rec.SheetID, rec.BankID, s.Candidate.Code, err.Error()})
			continue
		}
		parts = append(parts, result)
	}
	sort.Slice(positions, func(i, j int) bool { return positions[i].Code < positions[j].Code })
	report.Results = rules.BuildResults(parts, interviews, positions)
	return report, nil
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
