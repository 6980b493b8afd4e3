package kiosk

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
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
// library. A bank that does not verify is refused whole, with the reason.
func (k *Kiosk) LoadBank(path string) (*BankEntry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	v, err := bank.Verify(data, k.trust, k.now())
	if err != nil {
		return nil, err
	}
	if err := writeAtomic(k.bankFile(v.Manifest.BankID), data, 0o600); err != nil {
		return nil, err
	}
	return &BankEntry{File: k.bankFile(v.Manifest.BankID), Manifest: v.Manifest, Signer: v.Signer}, nil
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

// ErrBankInUse refuses to remove the bank of the running session.
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

// LoadRoster checks a signed roster and keeps it as the kiosk's roster.
func (k *Kiosk) LoadRoster(path string) (*bank.Roster, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r, err := bank.ReadRoster(data, k.trust, k.now())
	if err != nil {
		return nil, err
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
	return v.Open(startCode)
}

// StartSession opens a library bank with the start code the proctor typed and starts a session
// with the kiosk's roster. A mistyped code fails at once (bank.ErrStartCodeCheck), a wrong
// one after the derivation (bank.ErrWrongStartCode).
func (k *Kiosk) StartSession(bankID, proctor, startCode string) (*exam.Session, error) {
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
	return k.Engine.StartSession(b, roster, proctor, code)
}

// Resume takes up the session that was running when the kiosk stopped, if any: it opens its
// bank again with the start code the session kept, and resumes every attempt where it was.
func (k *Kiosk) Resume() (*exam.Session, error) {
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
