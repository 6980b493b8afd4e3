package kiosk

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"ispit/bank"
	"ispit/exam"
)

// BankEntry is a bank in the kiosk's library, with the result of checking it now.
type BankEntry struct {
	File     string
	Manifest *bank.Manifest // nil when the file could not be read at all
	Signer   string
	// Err is why the bank is refused now (bad signature, expired…), or nil.
	Err error
}

// bankFile is where a bank of this id is kept.
func (k *Kiosk) bankFile(id string) string { return k.path(filepath.Join("banks", id+".bank")) }

// LoadBank checks a bank file (from a USB stick) and, if it verifies, keeps a copy in the
// library, replacing a bank of the same id. A bank that does not verify is refused whole, with
// the reason; the entry then still says what the file's manifest claims, when it could be read
// (its title, its validity), with Err set. The bank of the open session is not replaced
// (ErrBankInUse): the session could not be resumed from another.
func (k *Kiosk) LoadBank(path string) (*BankEntry, error) {
	data, err := readLimited(path, maxBankFile)
	if err != nil {
		return nil, err
	}
	v, err := bank.Verify(data, k.trust, k.now())
	if err != nil {
		entry := &BankEntry{File: path, Err: err}
		if raw, merr := bank.ReadManifest(data); merr == nil {
			entry.Manifest, _ = bank.DecodeManifest(raw)
		}
		return entry, err
	}
	id := v.Manifest.BankID
	kept, err := os.ReadFile(k.bankFile(id))
	if err == nil && bytes.Equal(kept, data) {
		return &BankEntry{File: k.bankFile(id), Manifest: v.Manifest, Signer: v.Signer}, nil
	}
	if info, err := k.Engine.ActiveSession(); err != nil {
		return nil, err
	} else if info != nil && info.BankID == id {
		return nil, ErrBankInUse
	}
	if err := writeAtomic(k.bankFile(id), data, 0o600); err != nil {
		return nil, err
	}
	return &BankEntry{File: k.bankFile(id), Manifest: v.Manifest, Signer: v.Signer}, nil
}

// Banks lists the library, each bank checked again now (a bank can expire while it waits).
func (k *Kiosk) Banks() ([]BankEntry, error) {
	files, err := filepath.Glob(k.path(filepath.Join("banks", "*.bank")))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []BankEntry
	for _, f := range files {
		entry := BankEntry{File: f}
		data, err := os.ReadFile(f)
		if err == nil {
			var v *bank.Verified
			if v, err = bank.Verify(data, k.trust, k.now()); err == nil {
				entry.Manifest, entry.Signer = v.Manifest, v.Signer
			} else if raw, merr := bank.ReadManifest(data); merr == nil {
				entry.Manifest, _ = bank.DecodeManifest(raw)
			}
		}
		entry.Err = err
		out = append(out, entry)
	}
	return out, nil
}

// ErrBankInUse refuses to remove or replace the bank of the running session.
var ErrBankInUse = errors.New("the running session uses this bank")

// RemoveBank removes a bank from the library.
func (k *Kiosk) RemoveBank(id string) error {
	if strings.ContainsAny(id, `/\`) || id == "" {
		return fmt.Errorf("no bank %q", id)
	}
	if info, err := k.Engine.ActiveSession(); err != nil {
		return err
	} else if info != nil && info.BankID == id {
		return ErrBankInUse
	}
	if err := os.Remove(k.bankFile(id)); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("no bank %q in the library", id)
	} else if err != nil {
		return err
	}
	return nil
}

// ErrRosterInUse refuses to replace the roster while a session is open: the session could not
// be resumed with another.
var ErrRosterInUse = errors.New("the open session uses the roster")

// LoadRoster checks a signed roster and keeps it as the kiosk's roster. While a session is
// open only the same roster again is accepted (ErrRosterInUse).
func (k *Kiosk) LoadRoster(path string) (*bank.Roster, error) {
	data, err := readLimited(path, maxRosterFile)
	if err != nil {
		return nil, err
	}
	r, err := bank.ReadRoster(data, k.trust, k.now())
	if err != nil {
		return nil, err
	}
	kept, err := os.ReadFile(k.path("roster.signed"))
	if err == nil && bytes.Equal(kept, data) {
		return r, nil
	}
	if info, err := k.Engine.ActiveSession(); err != nil {
		return nil, err
	} else if info != nil {
		return nil, ErrRosterInUse
	}
	return r, writeAtomic(k.path("roster.signed"), data, 0o600)
}

// ErrNoRoster says that no roster has been loaded yet.
var ErrNoRoster = errors.New("no roster is loaded")

// Roster returns the kiosk's roster, checked again.
func (k *Kiosk) Roster() (*bank.Roster, error) {
	data, err := os.ReadFile(k.path("roster.signed"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNoRoster
	}
	if err != nil {
		return nil, err
	}
	return bank.ReadRoster(data, k.trust, k.now())
}

// openBank verifies a library bank as of at and opens it with the start code (about a second:
// the key derivation).
func (k *Kiosk) openBank(id, startCode string, at time.Time) (*bank.Bank, error) {
	data, err := os.ReadFile(k.bankFile(id))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no bank %q in the library", id)
	}
	if err != nil {
		return nil, err
	}
	v, err := bank.Verify(data, k.trust, at)
	if err != nil {
		return nil, err
	}
	// The key derivation takes a quarter of a gigabyte for a moment; give it back to the
	// system at once rather than hold it for the whole exam.
	defer debug.FreeOSMemory()
	return v.Open(startCode)
}

// StartSession opens a library bank with the start code the proctor typed and starts a session
// with the kiosk's roster, in which candidates sit the bank's part partID. A mistyped code
// fails at once (bank.ErrStartCodeCheck), a wrong one after the derivation
// (bank.ErrWrongStartCode).
func (k *Kiosk) StartSession(bankID, partID, proctor, startCode string) (*exam.Session, error) {
	if ok, _ := k.Enrolled(); !ok {
		return nil, ErrNotEnrolled
	}
	code, err := bank.ParseStartCode(startCode)
	if err != nil {
		return nil, err
	}
	roster, err := k.Roster()
	if err != nil {
		return nil, err
	}
	b, err := k.openBank(bankID, code, k.now())
	if err != nil {
		return nil, err
	}
	return k.Engine.StartSession(b, roster, partID, proctor, code)
}

// Resume takes up the session that was running when the kiosk stopped, if any: it opens its
// bank again with the start code the session kept, and resumes every attempt where it was. An
// exam database found damaged on the way is kept for the record and the kiosk closed: Resume
// then returns a *DamagedError, and k is of no further use.
func (k *Kiosk) Resume() (*exam.Session, error) {
	s, err := k.resume()
	if errors.Is(err, exam.ErrCorrupt) {
		return nil, k.closeDamaged(err)
	}
	return s, err
}

func (k *Kiosk) resume() (*exam.Session, error) {
	info, err := k.Engine.ActiveSession()
	if err != nil || info == nil {
		return nil, err
	}
	roster, err := k.Roster()
	if err != nil {
		return nil, err
	}
	// A bank that expired while its session ran still serves that session.
	b, err := k.openBank(info.BankID, info.StartCode, info.StartedAt)
	if err != nil {
		return nil, err
	}
	return k.Engine.ResumeSession(info.ID, b, roster)
}

// The largest files the administrator may load: the bank format's own limit, and generous
// room for a roster (its CSV is at most 64 MiB). Anything larger is refused before it is read.
const (
	maxBankFile   = 1 << 30
	maxRosterFile = 65 << 20
)

// errTooLarge refuses a file larger than what it could be.
var errTooLarge = errors.New("too large")

// readLimited reads a file of at most limit bytes; a larger one is refused as malformed, so
// that picking a disk image by mistake does not fill the memory.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tooLarge := fmt.Errorf("%w: %w: %s is larger than %d bytes", bank.ErrMalformed, errTooLarge, filepath.Base(path), limit)
	if info, err := f.Stat(); err == nil && info.Size() > limit {
		return nil, tooLarge
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, tooLarge
	}
	return data, nil
}
