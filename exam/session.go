package exam

import (
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"ispit/bank"
)

// Session is one unlocked bank on this terminal with its roster, started by a proctor.
type Session struct {
	e        *Engine
	Info     SessionInfo
	Bank     *bank.Bank
	Roster   *bank.Roster
	attempts map[string]*Attempt
}

// SessionInfo is what the database keeps of a session.
type SessionInfo struct {
	ID             string
	BankID         string
	ManifestSHA256 string
	RosterSHA256   string
	// Part is the id of the bank part candidates sit in this session; empty only for a
	// session an older kiosk started without recording its part (see ResumeSession).
	Part    string
	Proctor string
	// StartCode is kept while the session runs, so that the bank can be opened again after a
	// restart without the proctor typing it; it is erased when the session ends.
	StartCode string
	StartedAt time.Time
	EndedAt   time.Time // zero while the session runs
}

// ErrSessionActive refuses a second session while one is running.
var ErrSessionActive = errors.New("a session is already running on this terminal")

// StartSession starts a session for an opened bank and a verified roster, in which candidates
// sit the bank's part partID. The session and its part are recorded together.
func (e *Engine) StartSession(b *bank.Bank, roster *bank.Roster, partID, proctor, startCode string) (*Session, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil, ErrClosed
	}
	if strings.TrimSpace(proctor) == "" {
		return nil, fmt.Errorf("%w: the proctor who starts the session", ErrReasonRequired)
	}
	if _, ok := b.Manifest.Part(partID); !ok {
		return nil, fmt.Errorf("%w: bank %s has no part %q", ErrUnknownPart, b.Manifest.BankID, partID)
	}
	if active, err := e.activeSessionLocked(); err != nil {
		return nil, err
	} else if active != nil {
		return nil, fmt.Errorf("%w (session %s, started %s)", ErrSessionActive, active.ID, active.StartedAt.Format(time.RFC3339))
	}
	info := SessionInfo{
		ID:             uuid.Must(uuid.NewV7()).String(),
		BankID:         b.Manifest.BankID,
		ManifestSHA256: b.ManifestSHA256,
		RosterSHA256:   roster.SHA256,
		Part:           partID,
		Proctor:        proctor,
		StartCode:      startCode,
		StartedAt:      e.clock.Now().UTC(),
	}
	_, err := e.db.Exec(`INSERT INTO sessions (id, bank_id, manifest_sha256, roster_sha256, part_id, proctor, start_code, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		info.ID, info.BankID, info.ManifestSHA256, info.RosterSHA256, info.Part, info.Proctor, info.StartCode, info.StartedAt.Format(time.RFC3339Nano))
	if err != nil {
		return nil, fmt.Errorf("recording the session: %w", err)
	}
	s := &Session{e: e, Info: info, Bank: b, Roster: roster, attempts: map[string]*Attempt{}}
	e.sessions[info.ID] = s
	return s, nil
}

// ActiveSession returns the session that is running on this terminal, or nil. After a restart
// the kiosk opens its bank again and calls ResumeSession.
func (e *Engine) ActiveSession() (*SessionInfo, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.activeSessionLocked()
}

func (e *Engine) activeSessionLocked() (*SessionInfo, error) {
	row := e.db.QueryRow(`SELECT id, bank_id, manifest_sha256, roster_sha256, part_id, proctor, start_code, started_at FROM sessions WHERE ended_at IS NULL ORDER BY started_at DESC LIMIT 1`)
	var info SessionInfo
	var started string
	err := row.Scan(&info.ID, &info.BankID, &info.ManifestSHA256, &info.RosterSHA256, &info.Part, &info.Proctor, &info.StartCode, &started)
	if isNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	info.StartedAt, _ = time.Parse(time.RFC3339Nano, started)
	return &info, nil
}

// ResumeSession takes up a running session after a restart, with its bank opened again, and
// loads its attempts: running ones go on from their last checkpoint, and one whose time ran
// out while the terminal was down is submitted now. A session an older kiosk started without
// recording its part gets the bank's only part, recorded now; with several it stays without
// one, and admits nobody until the proctor ends it and starts another.
func (e *Engine) ResumeSession(id string, b *bank.Bank, roster *bank.Roster) (*Session, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil, ErrClosed
	}
	if s, ok := e.sessions[id]; ok {
		return s, nil
	}
	info, err := e.activeSessionLocked()
	if err != nil {
		return nil, err
	}
	if info == nil || info.ID != id {
		return nil, fmt.Errorf("%w: session %s", ErrSessionEnded, id)
	}
	if info.BankID != b.Manifest.BankID || info.ManifestSHA256 != b.ManifestSHA256 || info.RosterSHA256 != roster.SHA256 {
		return nil, ErrSessionMismatch
	}
	if err := e.settlePartLocked(info, b); err != nil {
		return nil, err
	}
	s := &Session{e: e, Info: *info, Bank: b, Roster: roster, attempts: map[string]*Attempt{}}
	rows, err := e.db.Query(`SELECT id FROM attempts WHERE session_id = ? ORDER BY rowid`, id)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	var ids []string
	for rows.Next() {
		var aid string
		if err := rows.Scan(&aid); err != nil {
			rows.Close()
			return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		ids = append(ids, aid)
	}
	rows.Close()
	for _, aid := range ids {
		a, err := s.loadAttemptLocked(aid)
		if err != nil {
			return nil, err
		}
		s.attempts[aid] = a
	}
	e.sessions[id] = s
	for _, a := range s.attempts {
		a.tickLocked() // submits at once what timed out while the terminal was down
	}
	return s, nil
}

// settlePartLocked checks the part of a resumed session against its bank, and gives a session
// without one the bank's only part.
func (e *Engine) settlePartLocked(info *SessionInfo, b *bank.Bank) error {
	if info.Part != "" {
		if _, ok := b.Manifest.Part(info.Part); !ok {
			return fmt.Errorf("%w: bank %s has no part %q", ErrSessionMismatch, b.Manifest.BankID, info.Part)
		}
		return nil
	}
	if len(b.Manifest.Parts) != 1 {
		return nil
	}
	part := b.Manifest.Parts[0].ID
	if _, err := e.db.Exec(`UPDATE sessions SET part_id = ? WHERE id = ?`, part, info.ID); err != nil {
		return fmt.Errorf("recording the session's part: %w", err)
	}
	info.Part = part
	return nil
}

// Attempts returns the session's attempts, in the order they were admitted.
func (s *Session) Attempts() []*Attempt {
	s.e.mu.Lock()
	defer s.e.mu.Unlock()
	out := make([]*Attempt, 0, len(s.attempts))
	for _, a := range s.attempts {
		out = append(out, a)
	}
	sortAttempts(out)
	return out
}

// Attempt returns an attempt of the session by id.
func (s *Session) Attempt(id string) (*Attempt, bool) {
	s.e.mu.Lock()
	defer s.e.mu.Unlock()
	a, ok := s.attempts[id]
	return a, ok
}

// Admit admits a candidate of the roster to a part of the bank on this terminal. The items
// are drawn and their options shuffled from a seed of the session and the candidate. A second
// attempt of the same candidate at the same part is refused with an AlreadyAttemptedError.
func (s *Session) Admit(candidateCode, partID string) (*Attempt, error) {
	e := s.e
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := s.checkOpenLocked(); err != nil {
		return nil, err
	}
	c, ok := s.Roster.Candidate(candidateCode)
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownCand, strings.TrimSpace(candidateCode))
	}
	part, ok := s.Bank.Manifest.Part(partID)
	if !ok || !part.AppliesTo(c.Position) {
		return nil, fmt.Errorf("%w: part %s, position %s", ErrPartNotForCand, partID, c.Position)
	}
	if err := s.refuseSecondAttemptLocked(c.Code, partID); err != nil {
		return nil, err
	}
	seed := attemptSeed(s.Info.ID, c.Code)
	ids, err := s.Bank.Draw(partID, seed)
	if err != nil {
		return nil, err
	}
	data := admittedData{
		Session:        s.Info.ID,
		Terminal:       e.opt.TerminalID,
		BankID:         s.Bank.Manifest.BankID,
		ManifestSHA256: s.Bank.ManifestSHA256,
		Candidate:      candidate{Code: c.Code, Name: c.Name, Position: c.Position, Language: c.Language},
		Part:           partID,
		AllowanceMS:    part.Duration().Milliseconds(),
	}
	for _, id := range ids {
		it, _ := s.Bank.Item(id)
		shown := shownItem{ID: id}
		if it.Kind == bank.ItemChoice {
			for _, o := range it.Options {
				shown.Options = append(shown.Options, o.ID)
			}
			bank.NewSeededRand("ispit-options-v1", id, seed).Shuffle(shown.Options)
		}
		data.Items = append(data.Items, shown)
	}
	a := newAttempt(s, uuid.Must(uuid.NewV7()).String())
	var ev Event
	var mac []byte
	err = withTx(e.db, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO attempts (id, session_id, bank_id, candidate_code, part_id, terminal_id, state, last_seq, used_ms, checkpoint_mac) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, x'')`,
			a.id, s.Info.ID, data.BankID, c.Code, partID, e.opt.TerminalID, StateAdmitted)
		if err != nil {
			return err
		}
		ev, mac, err = a.appendLocked(tx, EventAdmitted, data)
		return err
	})
	if isConstraint(err) {
		return nil, s.refuseSecondAttemptLocked(c.Code, partID)
	}
	if err != nil {
		return nil, fmt.Errorf("recording the admission: %w", err)
	}
	a.commitLocked(ev, mac, data)
	s.attempts[a.id] = a
	return a, nil
}

func (s *Session) refuseSecondAttemptLocked(code, partID string) error {
	var terminal, state string
	err := s.e.db.QueryRow(`SELECT terminal_id, state FROM attempts WHERE bank_id = ? AND candidate_code = ? AND part_id = ?`,
		s.Bank.Manifest.BankID, code, partID).Scan(&terminal, &state)
	if isNoRows(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return &AlreadyAttemptedError{Candidate: code, Part: partID, Terminal: terminal, State: State(state)}
}

func (s *Session) checkOpenLocked() error {
	if s.e.closed {
		return ErrClosed
	}
	if !s.Info.EndedAt.IsZero() {
		return ErrSessionEnded
	}
	return nil
}

// attemptSeed is the seed of a candidate's draw in a session.
func attemptSeed(sessionID, candidateCode string) []byte {
	sum := sha256.Sum256([]byte("ispit-attempt-seed-v1\x00" + sessionID + "\x00" + strings.ToUpper(candidateCode)))
	return sum[:]
}

// End ends the session for everyone: every attempt still admitted, running or paused is
// submitted with reason proctor (one that moved to another terminal goes on there), and the
// stored start code is erased.
func (s *Session) End(proctor, reason string) error {
	e := s.e
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := s.checkOpenLocked(); err != nil {
		return err
	}
	if strings.TrimSpace(proctor) == "" || strings.TrimSpace(reason) == "" {
		return ErrReasonRequired
	}
	for _, a := range sortedAttempts(s.attempts) {
		if a.state == StateSubmitted || a.state == StateMoved {
			continue
		}
		if err := a.submitLocked(SubmitProctor, proctor, reason); err != nil {
			return err
		}
	}
	now := e.clock.Now().UTC()
	if _, err := e.db.Exec(`UPDATE sessions SET ended_at = ?, start_code = '' WHERE id = ?`, now.Format(time.RFC3339Nano), s.Info.ID); err != nil {
		return fmt.Errorf("ending the session: %w", err)
	}
	s.Info.EndedAt, s.Info.StartCode = now, ""
	return nil
}
