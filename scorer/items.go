package scorer

import (
	"cmp"
	"slices"

	"ispit/bank"
	"ispit/scorer/analysis"
)

// ChoicePart is a multiple-choice part of a bank whose sheets the board holds.
type ChoicePart struct {
	BankID string
	Part   *bank.Part
	Sheets int
}

// ChoiceParts lists the multiple-choice parts with scored sheets, by bank and part.
func (sn *Snapshot) ChoiceParts() []ChoicePart {
	count := map[[2]string]int{}
	for _, bs := range sn.Sheets {
		if r := bs.Result; r != nil && r.Kind != bank.PartProfessionalWritten {
			count[[2]string{r.BankID, r.Part}]++
		}
	}
	var out []ChoicePart
	for k, n := range count {
		key := sn.Keys[k[0]]
		for i := range key.Parts {
			if key.Parts[i].ID == k[1] {
				out = append(out, ChoicePart{BankID: k[0], Part: &key.Parts[i], Sheets: n})
			}
		}
	}
	slices.SortFunc(out, func(a, b ChoicePart) int {
		return cmp.Or(cmp.Compare(a.BankID, b.BankID), cmp.Compare(a.Part.ID, b.Part.ID))
	})
	return out
}

// ItemAnalysis analyses every item of a multiple-choice part over its scored sheets (see
// package analysis): difficulty, discrimination, the options chosen, and flags on items that
// look wrong. The correct options are the key's with its amendments. ok is false when the
// bank or the part is unknown or not multiple-choice.
func (sn *Snapshot) ItemAnalysis(bankID, partID string) (results []analysis.Result, ok bool) {
	key, found := sn.Keys[bankID]
	if !found {
		return nil, false
	}
	var part *bank.Part
	for i := range key.Parts {
		if key.Parts[i].ID == partID && key.Parts[i].Kind != bank.PartProfessionalWritten {
			part = &key.Parts[i]
		}
	}
	if part == nil {
		return nil, false
	}
	ids := part.Items
	if part.Draw != nil {
		ids = part.Draw.Pool
	}
	items := make([]analysis.Item, 0, len(ids))
	for _, id := range ids {
		ki, ok := key.Item(id)
		if !ok {
			continue
		}
		correct := append([]string{ki.Correct}, key.Accepted(id)...)
		items = append(items, analysis.Item{ID: id, Options: ki.Options, Correct: correct, Voided: key.Voided(id)})
	}
	var sheets []analysis.Sheet
	for _, bs := range sn.Sheets {
		r := bs.Result
		if r == nil || r.BankID != bankID || r.Part != partID {
			continue
		}
		answers := make(map[string]string, len(r.Items))
		for _, ir := range r.Items {
			answers[ir.ID] = ir.Answer
		}
		sheets = append(sheets, analysis.Sheet{Score: r.Points, Answers: answers})
	}
	return analysis.Analyse(items, sheets, part.PointsPerItem), true
}
