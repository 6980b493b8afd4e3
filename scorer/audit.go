package scorer

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"
)

// AuditAction names what an audit entry records.
type AuditAction string

// The actions of the audit log. The console shows each with its own catalogue message.
const (
	AuditSignIn          AuditAction = "sign-in"
	AuditSignInRefused   AuditAction = "sign-in-refused"
	AuditSignOut         AuditAction = "sign-out"
	AuditUserAdded       AuditAction = "user-added"
	AuditPasswordReset   AuditAction = "password-reset"   // a new one-time password was made
	AuditPasswordChanged AuditAction = "password-changed" // the user chose their password
	AuditUserDisabled    AuditAction = "user-disabled"
	AuditUserEnabled     AuditAction = "user-enabled"
	AuditGrade           AuditAction = "grade"
	AuditResolution      AuditAction = "resolution"
	AuditInterview       AuditAction = "interview"
	AuditAmendment       AuditAction = "amendment"
	AuditAppealLodged    AuditAction = "appeal-lodged"
	AuditAppealDecided   AuditAction = "appeal-decided"
	AuditPublished       AuditAction = "published"
	AuditWithdrawn       AuditAction = "withdrawn"
	AuditRules           AuditAction = "rules"
	AuditAttemptMoved    AuditAction = "attempt-moved"  // a hand-over to a spare terminal
	AuditMoveConfirmed   AuditAction = "move-confirmed" // the secretary let an attempt move
)

// AuditActions are every action, in the order the console's filter lists them.
var AuditActions = []AuditAction{
	AuditSignIn, AuditSignInRefused, AuditSignOut, AuditUserAdded, AuditPasswordReset, AuditPasswordChanged,
	AuditUserDisabled, AuditUserEnabled, AuditGrade, AuditResolution, AuditInterview, AuditAmendment,
	AuditAppealLodged, AuditAppealDecided, AuditPublished, AuditWithdrawn, AuditRules,
}

// AuditEntry is one line of the append-only audit log: who did what, when, to what.
type AuditEntry struct {
	Seq int64 // numbered by the store, from 1
	At  time.Time
	// Actor is the console user's sign-in name, or "cli:NAME" for a change made with the
	// scorer command (NAME as given to it).
	Actor   string
	Action  AuditAction
	Subject string // what the change is about: a script and task, a candidate, a position…
	// Detail holds the values of the change (points, comment, decision…): never a password.
	Detail map[string]string
	// Hash chains the log: the SHA-256 of the previous entry's hash and this entry, so that an
	// entry edited or removed outside the program shows.
	Hash string
}

// Audit builds an entry for a change by actor now.
func Audit(actor string, action AuditAction, subject string, now time.Time, detail map[string]string) AuditEntry {
	return AuditEntry{At: now.UTC(), Actor: actor, Action: action, Subject: subject, Detail: detail}
}

// ChainHash returns the hash of entry e after the entry with hash prev ("" for the first).
func (e AuditEntry) ChainHash(prev string) string {
	h := sha256.New()
	field := func(s string) {
		fmt.Fprintf(h, "%d:%s\n", len(s), s)
	}
	field(prev)
	field(strconv.FormatInt(e.Seq, 10))
	field(e.At.UTC().Format(time.RFC3339Nano))
	field(e.Actor)
	field(string(e.Action))
	field(e.Subject)
	keys := slices.Sorted(maps.Keys(e.Detail))
	field(strconv.Itoa(len(keys)))
	for _, k := range keys {
		field(k)
		field(e.Detail[k])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// check refuses an entry that does not say who did what.
func (e AuditEntry) check() error {
	if e.Actor == "" || e.Action == "" {
		return errors.New("an audit entry names who did what")
	}
	return nil
}

// chainAfter returns the entry as the store appends it after the last entry of the log
// (sequence number last, hash prev; 0 and "" for an empty log): numbered, stamped now if it
// has no time, and hashed.
func (e AuditEntry) chainAfter(last int64, prev string) AuditEntry {
	e.Seq = last + 1
	if e.At.IsZero() {
		e.At = time.Now()
	}
	e.At = e.At.UTC()
	e.Hash = e.ChainHash(prev)
	return e
}

// EncodeDetail is the stored form of an entry's detail.
func (e AuditEntry) EncodeDetail() string {
	if len(e.Detail) == 0 {
		return "{}"
	}
	data, _ := json.Marshal(e.Detail) // a map of strings always encodes
	return string(data)
}

// DecodeAuditDetail reads the stored form of an entry's detail.
func DecodeAuditDetail(s string) (map[string]string, error) {
	var d map[string]string
	if err := json.Unmarshal([]byte(s), &d); err != nil {
		return nil, fmt.Errorf("audit detail: %v", err)
	}
	return d, nil
}

// VerifyAuditChain checks that entries, oldest first and starting at the first entry of the
// log, chain: each entry's Hash is its ChainHash after the one before. It returns the sequence
// number of the first entry that does not, or 0.
func VerifyAuditChain(entries []AuditEntry) int64 {
	prev := ""
	for i, e := range entries {
		if e.Seq != int64(i+1) || e.ChainHash(prev) != e.Hash {
			return e.Seq
		}
		prev = e.Hash
	}
	return 0
}
