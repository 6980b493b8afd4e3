package scorer

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"ispit/exam"
)

// Appeal is what the commission looks at when a candidate appeals with a receipt code: the
// sheet as the candidate saw it (items and options in the order shown, the answers given),
// how it was scored, and the appeals recorded against it.
type Appeal struct {
	ReceiptCode string         `json:"receipt_code"`
	SheetID     string         `json:"sheet_id"`
	Terminal    string         `json:"terminal"`
	ReceivedAt  time.Time      `json:"received_at"`
	Sheet       *exam.Sheet    `json:"sheet"`
	Score       *PartResult    `json:"score,omitempty"`
	Held        string         `json:"held,omitempty"` // why it is not scored yet
	Appeals     []AppealRecord `json:"appeals,omitempty"`
}

// DecodeSheet decodes a stored plain sheet.
func DecodeSheet(plain []byte) (*exam.Sheet, error) { return decodePlainSheet(plain) }

// LookUp returns the sheets behind a receipt code (normalized, see sheet.NormalizeReceiptCode)
// as appeals show them: almost always one; codes are 50 bits of the sealed digest, so two
// sheets may rarely share one.
func (sn *Snapshot) LookUp(receiptCode string) []*Appeal {
	var out []*Appeal
	for _, bs := range sn.Sheets {
		if bs.Record.ReceiptCode != receiptCode {
			continue
		}
		a := &Appeal{
			ReceiptCode: bs.Record.ReceiptCode,
			SheetID:     bs.Record.SheetID,
			Terminal:    bs.Record.Terminal,
			ReceivedAt:  bs.Record.ReceivedAt.UTC(),
			Sheet:       bs.Sheet,
			Score:       bs.Result,
			Held:        bs.Held,
		}
		for _, ap := range sn.Appeals {
			if ap.SheetID == bs.Record.SheetID {
				a.Appeals = append(a.Appeals, ap)
			}
		}
		out = append(out, a)
	}
	return out
}

// AppealStatus is where an appeal stands.
type AppealStatus string

// The states of an appeal.
const (
	AppealOpen     AppealStatus = "open"
	AppealUpheld   AppealStatus = "upheld"
	AppealRejected AppealStatus = "rejected"
)

// AppealRecord is a candidate's appeal against the scoring of a sheet, as the secretary
// records it, and the commission's decision.
type AppealRecord struct {
	ID          int64        `json:"id"` // numbered by the store
	ReceiptCode string       `json:"receipt_code"`
	SheetID     string       `json:"sheet_id"`
	Lodged      time.Time    `json:"lodged"`
	LodgedBy    string       `json:"lodged_by"`
	Grounds     string       `json:"grounds"` // what the candidate contends
	Status      AppealStatus `json:"status"`
	Reasons     string       `json:"reasons,omitempty"` // the decision's reasons
	DecidedBy   string       `json:"decided_by,omitempty"`
	Decided     time.Time    `json:"decided,omitzero"`
}

// AppealDecision is the commission's decision on an appeal.
type AppealDecision struct {
	Status  AppealStatus
	Reasons string
	By      string
	At      time.Time
}

// ErrInvalidAppeal refuses an appeal or decision that lacks what it needs.
var ErrInvalidAppeal = errors.New("invalid appeal")

// Validate checks an appeal as the secretary records it.
func (a AppealRecord) Validate() error {
	switch {
	case a.SheetID == "" || a.ReceiptCode == "":
		return fmt.Errorf("%w: it names no sheet", ErrInvalidAppeal)
	case strings.TrimSpace(a.Grounds) == "":
		return fmt.Errorf("%w: write down the candidate's grounds", ErrInvalidAppeal)
	case utf8.RuneCountInString(a.Grounds) > MaxCommentLength || !utf8.ValidString(a.Grounds):
		return fmt.Errorf("%w: grounds are at most %d characters", ErrInvalidAppeal, MaxCommentLength)
	case strings.TrimSpace(a.LodgedBy) == "":
		return fmt.Errorf("%w: it names nobody who recorded it", ErrInvalidAppeal)
	}
	return nil
}

// Validate checks a decision on an appeal.
func (d AppealDecision) Validate() error {
	switch {
	case d.Status != AppealUpheld && d.Status != AppealRejected:
		return fmt.Errorf("%w: an appeal is upheld or rejected", ErrInvalidAppeal)
	case strings.TrimSpace(d.Reasons) == "":
		return fmt.Errorf("%w: a decision needs its reasons", ErrInvalidAppeal)
	case utf8.RuneCountInString(d.Reasons) > MaxCommentLength || !utf8.ValidString(d.Reasons):
		return fmt.Errorf("%w: reasons are at most %d characters", ErrInvalidAppeal, MaxCommentLength)
	case strings.TrimSpace(d.By) == "":
		return fmt.Errorf("%w: it names nobody who decided", ErrInvalidAppeal)
	}
	return nil
}

// Publication records that a position's results were published, and by whom.
type Publication struct {
	Position  string
	Published bool // false withdraws a publication
	At        time.Time
	By        string
}
