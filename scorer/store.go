package scorer

import (
	"context"
	"errors"
	"time"
)

// Store is the scorer's storage. The handlers and commands use only this interface, so that a
// PostgreSQL backend can stand beside the SQLite one without touching them.
type Store interface {
	// AddTerminal registers a terminal's public key (authorized_keys line). Registering the
	// same terminal with the same key again is a no-op; with another key it is ErrConflict.
	AddTerminal(ctx context.Context, t Terminal) error
	// Terminal returns a registered terminal, or ErrNotFound.
	Terminal(ctx context.Context, id string) (*Terminal, error)
	// Terminals lists the registered terminals.
	Terminals(ctx context.Context) ([]Terminal, error)

	// PutAnswerKey stores a verified answer key file for its bank; loading the same key again is
	// a no-op, and another key for the same bank is ErrConflict.
	PutAnswerKey(ctx context.Context, bankID string, file []byte) error
	// AnswerKeyFile returns the stored answer key file of a bank, or ErrNotFound.
	AnswerKeyFile(ctx context.Context, bankID string) ([]byte, error)

	// PutSheets stores received sheets in one durable transaction, idempotently: for each
	// record, a sheet id seen before with the same sealed digest yields the stored record
	// (Created false), one with another digest yields ErrConflict, and a new one is stored with
	// its receipt (Created true). It returns only once the new records are durable.
	PutSheets(ctx context.Context, records []*SheetRecord) []PutResult
	// Sheet returns a stored sheet by id, or ErrNotFound.
	Sheet(ctx context.Context, id string) (*SheetRecord, error)
	// SheetsByReceipt returns the stored sheets with a receipt code, or ErrNotFound. Codes are
	// 50 bits of the sealed digest, so two sheets may rarely share one.
	SheetsByReceipt(ctx context.Context, code string) ([]*SheetRecord, error)
	// Sheets lists every stored sheet (without the sealed bytes), oldest first.
	Sheets(ctx context.Context) ([]*SheetRecord, error)

	// PutGrade records a grader's points for a written task of a sheet.
	PutGrade(ctx context.Context, g Grade) error
	// Grades lists the grades of all sheets.
	Grades(ctx context.Context) ([]Grade, error)
	// PutInterview records a candidate's interview points; a later entry replaces an earlier one.
	PutInterview(ctx context.Context, iv Interview) error
	// Interviews lists the interview points.
	Interviews(ctx context.Context) ([]Interview, error)

	Close() error
}

// Terminal is an enrolled exam-room PC.
type Terminal struct {
	ID        string
	PublicKey string // authorized_keys line of the terminal's Ed25519 key
	Added     time.Time
}

// SheetRecord is a sheet as received and stored: the sealed bytes exactly as they came, the
// opened plain sheet, and the receipt sent back.
type SheetRecord struct {
	SheetID      string
	Terminal     string
	Session      string
	BankID       string
	SealedSHA256 string
	Sealed       []byte
	Plain        []byte
	ReceivedAt   time.Time
	Receipt      []byte
	ReceiptCode  string
}

// PutResult is the outcome of storing one record.
type PutResult struct {
	Record  *SheetRecord // the stored record: the new one, or the one stored before
	Created bool
	Err     error
}

// Storage errors.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("conflicts with what is stored")
)
