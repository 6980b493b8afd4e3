package exam

import (
	"encoding/json"
	"time"
)

// SheetFormat is the version of the plain answer sheet.
const SheetFormat = "ispit-sheet/1"

// Sheet is the plain answer sheet of a submitted attempt: everything needed to score it and
// to answer an appeal, recorded against the bank's own item and option ids. Marshal gives the
// same bytes for the same attempt every time.
type Sheet struct {
	Format         string       `json:"format"`
	SheetID        string       `json:"sheet_id"` // the attempt's id
	Terminal       string       `json:"terminal"`
	Session        string       `json:"session"`
	ProgramVersion string       `json:"program_version"`
	Candidate      SheetPerson  `json:"candidate"`
	BankID         string       `json:"bank_id"`
	ManifestSHA256 string       `json:"manifest_sha256"`
	Part           string       `json:"part"`
	Language       string       `json:"language"`
	AllowanceMS    int64        `json:"allowance_ms"`
	UsedMS         int64        `json:"used_ms"`
	SubmittedAt    time.Time    `json:"submitted_at"`
	SubmitReason   SubmitReason `json:"submit_reason"`
	Items          []SheetItem  `json:"items"`
	Events         []Event      `json:"events"`
}

// SheetPerson is the candidate as the roster lists them.
type SheetPerson struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Position string `json:"position"`
}

// SheetItem is one item in the order shown, with its options in the order shown.
type SheetItem struct {
	ID      string   `json:"id"`
	Options []string `json:"options,omitempty"`
	Answer  string   `json:"answer,omitempty"` // the chosen option id
	Flagged bool     `json:"flagged,omitempty"`
	Text    string   `json:"text,omitempty"` // a written task's text
}

// Marshal encodes the sheet as JSON. Struct fields encode in order, so equal sheets give equal
// bytes.
func (s *Sheet) Marshal() []byte {
	data, err := json.Marshal(s)
	if err != nil {
		panic("exam: encoding a sheet: " + err.Error()) // every field is plain data
	}
	return data
}

// sheetWith builds the sheet of the attempt as it stands with the submit event ev added.
func (a *Attempt) sheetWith(ev Event, data submitData) *Sheet {
	c := a.data.Candidate
	s := &Sheet{
		Format:         SheetFormat,
		SheetID:        a.id,
		Terminal:       a.data.Terminal,
		Session:        a.data.Session,
		ProgramVersion: a.engine().opt.ProgramVersion,
		Candidate:      SheetPerson{Code: c.Code, Name: c.Name, Position: c.Position},
		BankID:         a.data.BankID,
		ManifestSHA256: a.data.ManifestSHA256,
		Part:           a.data.Part,
		Language:       a.language,
		AllowanceMS:    a.allowance.Milliseconds(),
		UsedMS:         min(ev.UsedMS, a.allowance.Milliseconds()),
		SubmittedAt:    ev.At,
		SubmitReason:   data.Reason,
		Events:         append(append(make([]Event, 0, len(a.events)+1), a.events...), ev),
	}
	s.Items = a.itemsLocked()
	return s
}

// itemsLocked are the attempt's items in the order shown, with what is answered, flagged and
// written of each, as sheets and checkpoints carry them.
func (a *Attempt) itemsLocked() []SheetItem {
	items := make([]SheetItem, 0, len(a.data.Items))
	for _, shown := range a.data.Items {
		items = append(items, SheetItem{
			ID:      shown.ID,
			Options: shown.Options,
			Answer:  a.choice[shown.ID],
			Flagged: a.flagged[shown.ID],
			Text:    string(a.text[shown.ID]),
		})
	}
	return items
}

// ContinuedFrom is the terminal the sheet's attempt was continued from (its continued event),
// "" when it began on the terminal that sealed the sheet.
func (s *Sheet) ContinuedFrom() string { return s.continued().From }

// Continuation is where the sheet's attempt was continued from (its continued event), and the
// old terminal's signed export when it came on removable media: "", nil when it began on the
// terminal that sealed the sheet.
func (s *Sheet) Continuation() (from string, export *ExportProof) {
	c := s.continued()
	return c.From, c.Export
}

// continued is the data of the sheet's continued event, empty when it has none.
func (s *Sheet) continued() continuedData {
	for _, ev := range s.Events {
		if ev.Kind != EventContinued {
			continue
		}
		var d continuedData
		if json.Unmarshal(ev.Data, &d) == nil {
			return d
		}
	}
	return continuedData{}
}
