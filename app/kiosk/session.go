package kiosk

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"ispit/exam"
)

// sessionPart is the file that remembers which part of the bank a session's candidates sit,
// so that the terminal admits them to the same part after a restart.
type sessionPart struct {
	Session string `json:"session"`
	Part    string `json:"part"`
}

// ErrNoPart is returned for a session whose part was never chosen on this terminal.
var ErrNoPart = errors.New("no exam part was chosen for this session")

// SetSessionPart records the part candidates sit in the running session s. The part must be
// one of the session's bank.
func (k *Kiosk) SetSessionPart(s *exam.Session, partID string) error {
	if _, ok := s.Bank.Manifest.Part(partID); !ok {
		return fmt.Errorf("bank %s has no part %q", s.Bank.Manifest.BankID, partID)
	}
	data, err := json.Marshal(sessionPart{Session: s.Info.ID, Part: partID})
	if err != nil {
		return err
	}
	return writeAtomic(k.path("session-part.json"), data, 0o600)
}

// SessionPart returns the part recorded for session s; with none recorded it returns the
// bank's only part if it has just one, else ErrNoPart.
func (k *Kiosk) SessionPart(s *exam.Session) (string, error) {
	data, err := os.ReadFile(k.path("session-part.json"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	var p sessionPart
	if err == nil && json.Unmarshal(data, &p) == nil && p.Session == s.Info.ID {
		if _, ok := s.Bank.Manifest.Part(p.Part); ok {
			return p.Part, nil
		}
	}
	if parts := s.Bank.Manifest.Parts; len(parts) == 1 {
		return parts[0].ID, nil
	}
	return "", ErrNoPart
}

// CurrentAttempt returns the attempt of session s that this terminal is showing: one that is
// not submitted yet, else nil.
func CurrentAttempt(s *exam.Session) *exam.Attempt {
	for _, a := range s.Attempts() {
		if st, _ := a.State(); st != exam.StateSubmitted {
			return a
		}
	}
	return nil
}
