package scorer

import (
	"context"
	"errors"
	"time"
)

// Store is the scorer's storage. The handlers, the console and the commands use only this
// interface, so that a PostgreSQL backend can stand beside the SQLite one without touching them.
//
// Every change the commission makes (a grade, a resolution, an interview, an amendment, an
// appeal, a publication, an account) takes an AuditEntry that the store appends to the audit
// log in the same transaction: a change is never stored without its entry, nor the entry
// without the change.
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
	// PutAmendment stores a verified key amendment of a bank with the effect it had, after the
	// amendments of lower sequence numbers. The same file again is a no-op; another file with
	// the same bank and sequence number is ErrConflict.
	PutAmendment(ctx context.Context, am StoredAmendment, audit AuditEntry) error
	// Amendments lists the stored amendments by bank and sequence number.
	Amendments(ctx context.Context) ([]StoredAmendment, error)

	// PutBankContent stores the opened questions of a bank (for grading and appeals); the same
	// bank again replaces nothing and is a no-op.
	PutBankContent(ctx context.Context, c BankContent) error
	// BankContent returns the stored questions of a bank, or ErrNotFound.
	BankContent(ctx context.Context, bankID string) (*BankContent, error)
	// PutRoster stores a verified roster's CSV; the same roster again is a no-op.
	PutRoster(ctx context.Context, r StoredRoster) error
	// Rosters lists the stored rosters, oldest first.
	Rosters(ctx context.Context) ([]StoredRoster, error)

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
	// SheetsAfter lists the sheets (without the sealed bytes) stored after the one with
	// sequence number seq, in the order they were stored; SheetsAfter(ctx, 0) lists them all.
	SheetsAfter(ctx context.Context, seq int64) ([]*SheetRecord, error)
	// Revision tells whether anything changed since it was last asked: the sequence number of
	// the last stored sheet, and a counter every commission change increments.
	Revision(ctx context.Context) (Revision, error)

	// PutCheckpoints keeps, in one transaction, each checkpoint that is the newest of its
	// attempt and comes from the terminal the attempt belongs to (checkpointOutcome); the
	// results are in the order of records.
	PutCheckpoints(ctx context.Context, records []*AttemptRecord) []CheckpointResult
	// Attempt returns the record of an attempt with its checkpoint, or ErrNotFound.
	Attempt(ctx context.Context, id string) (*AttemptRecord, error)
	// AttemptState is Attempt without the checkpoint's bytes: where the attempt is and how it
	// stands, cheaply enough to ask for every sheet that arrives.
	AttemptState(ctx context.Context, id string) (*AttemptRecord, error)
	// AttemptsOf returns the attempts of a candidate with their checkpoints, the newest
	// checkpoint first.
	AttemptsOf(ctx context.Context, candidate string) ([]*AttemptRecord, error)
	// Attempts returns every attempt without its checkpoint's bytes, by session, terminal and
	// candidate: the exam day.
	Attempts(ctx context.Context) ([]*AttemptRecord, error)
	// MoveAttempt hands an attempt over from m.From to m.To, in one transaction with the
	// audit entry, and returns the record as it is now. It refuses with ErrReplayed a nonce
	// used before, with ErrConflict an attempt that is not on m.From at checkpoint m.Seq, and
	// with ErrNotFound an unknown attempt.
	MoveAttempt(ctx context.Context, m Move, audit AuditEntry) (*AttemptRecord, error)
	// ConfirmMove records that the secretary by confirmed at that the attempt may move before
	// its terminal has been silent long enough (ErrNotFound for an unknown attempt).
	ConfirmMove(ctx context.Context, id, by string, at time.Time, audit AuditEntry) error

	// PutGrade records a grader's points for a written task of a sheet; the grader's earlier
	// grade of the task is replaced.
	PutGrade(ctx context.Context, g Grade, audit AuditEntry) error
	// Grades lists the grades of all sheets.
	Grades(ctx context.Context) ([]Grade, error)
	// PutResolution records the secretary's resolution of a disagreement between graders.
	PutResolution(ctx context.Context, r Resolution, audit AuditEntry) error
	// Resolutions lists every resolution, oldest first.
	Resolutions(ctx context.Context) ([]Resolution, error)
	// PutInterview records an interviewer's points for a candidate; the interviewer's earlier
	// entry for the candidate and position is replaced.
	PutInterview(ctx context.Context, iv Interview, audit AuditEntry) error
	// Interviews lists the interview points.
	Interviews(ctx context.Context) ([]Interview, error)
	// AddAppeal records a candidate's appeal and returns its number.
	AddAppeal(ctx context.Context, a AppealRecord, audit AuditEntry) (int64, error)
	// DecideAppeal records the decision on an open appeal; an appeal already decided is
	// ErrConflict, an unknown one ErrNotFound.
	DecideAppeal(ctx context.Context, id int64, d AppealDecision, audit AuditEntry) error
	// Appeals lists every appeal, oldest first.
	Appeals(ctx context.Context) ([]AppealRecord, error)
	// SetPublication publishes a position's results, or withdraws the publication when
	// p.Published is false.
	SetPublication(ctx context.Context, p Publication, audit AuditEntry) error
	// Publications lists the positions whose results are published.
	Publications(ctx context.Context) ([]Publication, error)
	// PutRules stores the commission's rules.
	PutRules(ctx context.Context, r Rules, audit AuditEntry) error
	// Rules returns the commission's rules: the zero Rules (the defaults) until some are stored.
	Rules(ctx context.Context) (Rules, error)

	// AddUser adds a console account; a name taken is ErrConflict.
	AddUser(ctx context.Context, u User, audit AuditEntry) error
	// User returns an account by name, or ErrNotFound.
	User(ctx context.Context, name string) (*User, error)
	// Users lists the accounts by name.
	Users(ctx context.Context) ([]User, error)
	// UpdateUser stores an account's changed password, roles or state; an unknown name is
	// ErrNotFound. Changing a password or disabling an account ends its sessions.
	UpdateUser(ctx context.Context, u User, audit AuditEntry) error
	// CountSignIn counts a sign-in try for a name durably, before the password is checked,
	// and returns the name's standing: the tries counted so far (this one included) and the
	// time a lock-out ends. A locked name is not counted again.
	CountSignIn(ctx context.Context, name string, now time.Time) (SignInState, error)
	// SetSignInState stores a name's standing after the password was checked: zero after a
	// success, the lock-out after a failure.
	SetSignInState(ctx context.Context, name string, st SignInState) error
	// CreateSession stores a signed-in session.
	CreateSession(ctx context.Context, s Session) error
	// Session returns a session by the hash of its token, or ErrNotFound.
	Session(ctx context.Context, tokenHash string) (*Session, error)
	// TouchSession records that a session was used and extends its idle time-out.
	TouchSession(ctx context.Context, tokenHash string, seen, expires time.Time) error
	// DeleteSession ends a session.
	DeleteSession(ctx context.Context, tokenHash string) error

	// AppendAudit appends an entry that goes with no stored change (a sign-in, a sign-out).
	AppendAudit(ctx context.Context, a AuditEntry) error
	// Audit lists audit entries with sequence numbers below before (all when before ≤ 0),
	// newest first, at most limit.
	Audit(ctx context.Context, before int64, limit int) ([]AuditEntry, error)

	// Secret returns the scorer's secret of that name, making a random one of size bytes the
	// first time; replicas over one database share it.
	Secret(ctx context.Context, name string, size int) ([]byte, error)

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
	// Seq numbers the stored sheets in the order they were stored, from 1.
	Seq          int64
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

// Revision marks the state of a store: when neither number moved, nothing did.
type Revision struct {
	LastSheet  int64
	Commission int64
}

// Storage errors.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("conflicts with what is stored")
)
