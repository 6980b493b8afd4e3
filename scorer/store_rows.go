package scorer

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"ispit/exam"
)

// The rows both stores read the same way: SQLite and PostgreSQL name their columns alike and
// keep times as RFC 3339 text with nanoseconds, so that a time read back is the time stored
// (PostgreSQL's own timestamps keep microseconds, and the audit chain hashes nanoseconds).

// scanner is a row being read: *sql.Row, *sql.Rows, pgx.Row and pgx.Rows all are.
type scanner interface {
	Scan(dest ...any) error
}

const timeFormat = time.RFC3339Nano

// formatTime is the stored form of a time: "" for the zero time.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeFormat)
}

// parseTime reads a stored time; "" (or anything unreadable) is the zero time.
func parseTime(s string) time.Time {
	t, _ := time.Parse(timeFormat, s)
	return t
}

const terminalColumns = `id, public_key, added_at`

func scanTerminal(row scanner) (Terminal, error) {
	var t Terminal
	var added string
	err := row.Scan(&t.ID, &t.PublicKey, &added)
	t.Added = parseTime(added)
	return t, err
}

// sheetColumns are read after the sequence number, which each store names its own way.
const sheetColumns = `sheet_id, terminal_id, session_id, bank_id, sealed_sha256, plain, received_at, receipt, receipt_code`

func scanSheet(row scanner) (*SheetRecord, error) {
	var r SheetRecord
	var received string
	if err := row.Scan(&r.Seq, &r.SheetID, &r.Terminal, &r.Session, &r.BankID, &r.SealedSHA256, &r.Plain, &received, &r.Receipt, &r.ReceiptCode); err != nil {
		return nil, err
	}
	r.ReceivedAt = parseTime(received)
	return &r, nil
}

const gradeColumns = `sheet_id, item_id, grader, points, comment, at`

func scanGrade(row scanner) (Grade, error) {
	var g Grade
	var at string
	err := row.Scan(&g.SheetID, &g.ItemID, &g.Grader, &g.Points, &g.Comment, &at)
	g.At = parseTime(at)
	return g, err
}

const resolutionColumns = `seq, sheet_id, item_id, kind, points, graders, note, by, at`

func scanResolution(row scanner) (Resolution, error) {
	var r Resolution
	var kind, at string
	err := row.Scan(&r.Seq, &r.SheetID, &r.ItemID, &kind, &r.Points, &r.Graders, &r.Note, &r.By, &at)
	r.Kind, r.At = ResolutionKind(kind), parseTime(at)
	return r, err
}

const interviewColumns = `candidate, position, interviewer, points, competences, at`

// encodeCompetences is the stored form of an interview's points per competence.
func encodeCompetences(iv Interview) (string, error) {
	data, err := json.Marshal(iv.Competences)
	return string(data), err
}

func scanInterview(row scanner) (Interview, error) {
	var iv Interview
	var competences, at string
	if err := row.Scan(&iv.Candidate, &iv.Position, &iv.By, &iv.Points, &competences, &at); err != nil {
		return iv, err
	}
	iv.Entered = parseTime(at)
	if competences != "" && competences != "null" && competences != "{}" {
		if err := json.Unmarshal([]byte(competences), &iv.Competences); err != nil {
			return iv, fmt.Errorf("interview of %s by %s: %v", iv.Candidate, iv.By, err)
		}
	}
	return iv, nil
}

const amendmentColumns = `bank_id, sequence, file, sha256, loaded_at, loaded_by, effect`

func scanAmendment(row scanner) (StoredAmendment, error) {
	var am StoredAmendment
	var at, effect string
	if err := row.Scan(&am.BankID, &am.Sequence, &am.File, &am.SHA256, &at, &am.LoadedBy, &effect); err != nil {
		return am, err
	}
	am.LoadedAt = parseTime(at)
	var err error
	am.Effect, err = DecodeEffect(effect)
	return am, err
}

// bankContentColumns are the columns of a bank's questions besides its id and images.
const bankContentColumns = `manifest_sha256, title, languages, items, loaded_at`

// encodeBankTexts is the stored form of a bank's title and languages.
func encodeBankTexts(c BankContent) (title, languages string) {
	t, _ := json.Marshal(c.Title)     // a map of strings always encodes
	l, _ := json.Marshal(c.Languages) // and so does a list of them
	return string(t), string(l)
}

// scanBankContent reads the questions of bank bankID, without their images.
func scanBankContent(row scanner, bankID string) (*BankContent, error) {
	c := BankContent{BankID: bankID, Images: map[string][]byte{}}
	var title, languages, at string
	var items []byte
	if err := row.Scan(&c.ManifestSHA256, &title, &languages, &items, &at); err != nil {
		return nil, err
	}
	c.LoadedAt = parseTime(at)
	if err := json.Unmarshal([]byte(title), &c.Title); err != nil {
		return nil, fmt.Errorf("the stored title of bank %s: %v", bankID, err)
	}
	if err := json.Unmarshal([]byte(languages), &c.Languages); err != nil {
		return nil, fmt.Errorf("the stored languages of bank %s: %v", bankID, err)
	}
	var err error
	if c.Items, err = DecodeBankItems(items); err != nil {
		return nil, err
	}
	return &c, nil
}

// bankImage is one stored image of a bank.
type bankImage struct {
	name string
	data []byte
}

func scanBankImage(row scanner) (bankImage, error) {
	var im bankImage
	err := row.Scan(&im.name, &im.data)
	return im, err
}

const rosterColumns = `sha256, candidates, loaded_at`

func scanRoster(row scanner) (StoredRoster, error) {
	var r StoredRoster
	var candidates, at string
	if err := row.Scan(&r.SHA256, &candidates, &at); err != nil {
		return r, err
	}
	r.LoadedAt = parseTime(at)
	if err := json.Unmarshal([]byte(candidates), &r.Candidates); err != nil {
		return r, fmt.Errorf("the stored roster %s: %v", r.SHA256, err)
	}
	return r, nil
}

const appealColumns = `id, receipt_code, sheet_id, lodged_at, lodged_by, grounds, status, reasons, decided_by, decided_at`

func scanAppeal(row scanner) (AppealRecord, error) {
	var a AppealRecord
	var lodged, status, decided string
	err := row.Scan(&a.ID, &a.ReceiptCode, &a.SheetID, &lodged, &a.LodgedBy, &a.Grounds, &status, &a.Reasons, &a.DecidedBy, &decided)
	a.Lodged, a.Status, a.Decided = parseTime(lodged), AppealStatus(status), parseTime(decided)
	return a, err
}

const publicationColumns = `position, published_at, by`

func scanPublication(row scanner) (Publication, error) {
	p := Publication{Published: true}
	var at string
	err := row.Scan(&p.Position, &at, &p.By)
	p.At = parseTime(at)
	return p, err
}

// rulesSetting names the commission's rules among the settings.
const rulesSetting = "rules"

// secretSetting names a secret among the settings.
func secretSetting(name string) string { return "secret:" + name }

const userColumns = `name, full_name, roles, password, must_change, disabled, created_at`

func encodeRoles(roles []Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

func scanUser(row scanner) (User, error) {
	var u User
	var roles, created string
	if err := row.Scan(&u.Name, &u.FullName, &roles, &u.Password, &u.MustChange, &u.Disabled, &created); err != nil {
		return u, err
	}
	u.Created = parseTime(created)
	for _, r := range strings.Split(roles, ",") {
		if r != "" {
			u.Roles = append(u.Roles, Role(r))
		}
	}
	return u, nil
}

// sessionColumns are the columns of a session besides the hash of its token.
const sessionColumns = `user_name, csrf, created_at, seen_at, expires_at`

func scanSession(row scanner, tokenHash string) (*Session, error) {
	se := Session{TokenHash: tokenHash}
	var created, seen, expires string
	if err := row.Scan(&se.User, &se.CSRF, &created, &seen, &expires); err != nil {
		return nil, err
	}
	se.Created, se.Seen, se.Expires = parseTime(created), parseTime(seen), parseTime(expires)
	return &se, nil
}

// count counts a sign-in try at now into a name's standing, unless the name is locked out;
// it reports whether it counted.
func (st *SignInState) count(now time.Time) bool {
	if now.Before(st.LockedUntil) {
		return false
	}
	st.Failures++
	return true
}

const auditColumns = `seq, at, actor, action, subject, detail, hash`

func scanAudit(row scanner) (AuditEntry, error) {
	var a AuditEntry
	var at, action, detail string
	if err := row.Scan(&a.Seq, &at, &a.Actor, &action, &a.Subject, &detail, &a.Hash); err != nil {
		return a, err
	}
	a.At, a.Action = parseTime(at), AuditAction(action)
	var err error
	a.Detail, err = DecodeAuditDetail(detail)
	return a, err
}

// repeatResult is PutSheets' answer for a sheet id stored before (or earlier in the batch): the
// stored record with its receipt when the bytes are the same, ErrConflict when they are not.
func repeatResult(stored, r *SheetRecord) PutResult {
	if stored.SealedSHA256 == r.SealedSHA256 {
		return PutResult{Record: stored}
	}
	return PutResult{Err: fmt.Errorf("sheet %s was received before with other content: %w", r.SheetID, ErrConflict)}
}

// failBatch answers every record of a batch whose transaction failed: none of them is stored.
func failBatch(results []PutResult, err error) {
	for i := range results {
		results[i] = PutResult{Err: fmt.Errorf("storing the sheet: %w", err)}
	}
}

// attemptColumns are an attempt's columns without its checkpoint's bytes; attemptBlobColumns
// adds them.
const (
	attemptColumns = `attempt_id, terminal_id, candidate, part, session_id, bank_id, seq, state, answered, items,
	used_ms, allowance_ms, made_at, received_at, moved_from, moved_at, confirmed_by, confirmed_at`
	attemptBlobColumns = attemptColumns + `, checkpoint, signature`
)

// scanAttempt reads attemptColumns, and the checkpoint's bytes when blobs is true.
func scanAttempt(row scanner, blobs bool) (*AttemptRecord, error) {
	var r AttemptRecord
	var state, made, received, moved, confirmed string
	dest := []any{&r.AttemptID, &r.Terminal, &r.Candidate, &r.Part, &r.Session, &r.BankID, &r.Seq, &state, &r.Answered, &r.Items,
		&r.UsedMS, &r.AllowanceMS, &made, &received, &r.MovedFrom, &moved, &r.ConfirmedBy, &confirmed}
	if blobs {
		dest = append(dest, &r.Checkpoint, &r.Signature)
	}
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	r.State = exam.State(state)
	r.MadeAt, r.ReceivedAt, r.MovedAt, r.ConfirmedAt = parseTime(made), parseTime(received), parseTime(moved), parseTime(confirmed)
	return &r, nil
}

func scanAttemptBlobs(row scanner) (*AttemptRecord, error) { return scanAttempt(row, true) }
func scanAttemptRow(row scanner) (*AttemptRecord, error)   { return scanAttempt(row, false) }

// attemptValues are the values of attemptBlobColumns.
func attemptValues(r *AttemptRecord) []any {
	return []any{r.AttemptID, r.Terminal, r.Candidate, r.Part, r.Session, r.BankID, r.Seq, string(r.State), r.Answered, r.Items,
		r.UsedMS, r.AllowanceMS, formatTime(r.MadeAt), formatTime(r.ReceivedAt), r.MovedFrom, formatTime(r.MovedAt),
		r.ConfirmedBy, formatTime(r.ConfirmedAt), r.Checkpoint, r.Signature}
}
