package kiosk

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"

	"ispit/exam"
	"ispit/internal/sshsig"
	"ispit/sheet"
)

// ProgramVersion is recorded on every sheet.
const ProgramVersion = "ispit-kiosk 0.1"

// ErrNotEnrolled refuses to start a session before the terminal is enrolled: its sheets could
// not be sealed to the scorer.
var ErrNotEnrolled = errors.New("this terminal is not enrolled with the scorer yet")

// Kiosk is one exam-room PC.
type Kiosk struct {
	cfg      Config
	Engine   *exam.Engine
	terminal ssh.Signer
	trust    *sshsig.Trust
	now      func() time.Time
	// stopProgress ends the subscription that sends progress checkpoints as they are queued.
	stopProgress func()

	mu        sync.Mutex
	enrolment *sheet.Enrolment
	sealer    *sheet.Sealer
	stopUp    context.CancelFunc
	uploader  *sheet.Uploader
}

// The files of the data folder.
func (k *Kiosk) path(name string) string { return filepath.Join(k.cfg.DataDir, name) }

// Open opens the kiosk: it makes the terminal key and secret on first start, opens the exam
// database, and starts delivering the outbox if the terminal is enrolled. A damaged exam
// database is kept for the record (setAside) and Open returns a *DamagedError, as it does on
// every start while the kept database is in the data folder.
func Open(cfg Config) (*Kiosk, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if d, err := keptDamage(cfg.DataDir); err != nil || d != nil {
		if d != nil {
			return nil, d
		}
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(cfg.DataDir, "banks"), 0o700); err != nil {
		return nil, err
	}
	k := &Kiosk{cfg: cfg, now: time.Now}
	trustData, err := os.ReadFile(cfg.Trust)
	if err != nil {
		return nil, fmt.Errorf("the authority's key: %w", err)
	}
	if k.trust, err = sshsig.ParseTrust(trustData); err != nil {
		return nil, fmt.Errorf("%s: %v", cfg.Trust, err)
	}
	if k.terminal, _, err = sheet.EnsureTerminalKey(cfg.DataDir); err != nil {
		return nil, err
	}
	secret, err := k.secret()
	if err != nil {
		return nil, err
	}
	k.Engine, err = exam.Open(k.path("exam.db"), exam.Options{
		TerminalID:     cfg.TerminalID,
		Secret:         secret,
		ProgramVersion: ProgramVersion,
		Sealer:         sealerFunc(k.seal),
		Progress:       progressFunc(k.sealProgress),
	})
	if errors.Is(err, exam.ErrCorrupt) {
		return nil, setAside(cfg.DataDir, cfg.TerminalID, k.now(), err)
	}
	if err != nil {
		return nil, err
	}
	progress, stopProgress := k.Engine.Subscribe()
	k.stopProgress = stopProgress
	go k.sendProgress(progress)
	if data, err := os.ReadFile(k.path("enrolment.json")); err == nil {
		if err := k.useEnrolment(data); err != nil {
			k.Engine.Close()
			return nil, err
		}
	}
	return k, nil
}

// secret is the terminal secret that keys the exam database's seals and the PIN hashes.
func (k *Kiosk) secret() ([]byte, error) {
	path := k.path("terminal.secret")
	secret, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		secret = make([]byte, 32)
		rand.Read(secret)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, err
		}
		_, werr := f.Write(secret)
		serr := f.Sync()
		if err := errors.Join(werr, serr, f.Close()); err != nil {
			return nil, err
		}
		return secret, nil
	}
	if err != nil {
		return nil, err
	}
	if len(secret) != 32 {
		return nil, fmt.Errorf("%s is damaged", path)
	}
	return secret, nil
}

// Fingerprint is the terminal key's fingerprint, which the administrator registers with the
// scorer (`scorer terminal add`).
func (k *Kiosk) Fingerprint() string { return sshsig.Fingerprint(k.terminal.PublicKey()) }

// TerminalID is this terminal's id.
func (k *Kiosk) TerminalID() string { return k.cfg.TerminalID }

// PublicKeyFile is the path of the terminal's public key, to copy to the scorer.
func (k *Kiosk) PublicKeyFile() string { return k.path("terminal.pub") }

// Enrol takes the enrolment file the scorer handed out, keeps it, and starts delivering.
func (k *Kiosk) Enrol(data []byte) error {
	if err := k.useEnrolment(data); err != nil {
		return err
	}
	return writeAtomic(k.path("enrolment.json"), data, 0o644)
}

// Enrolled reports whether the terminal is enrolled, and with which scorer.
func (k *Kiosk) Enrolled() (bool, string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.enrolment == nil {
		return false, ""
	}
	return true, k.enrolment.ScorerURL
}

func (k *Kiosk) useEnrolment(data []byte) error {
	e, err := sheet.ParseEnrolment(data)
	if err != nil {
		return err
	}
	recipient, err := e.Recipient()
	if err != nil {
		return err
	}
	receipts, err := e.Receipts()
	if err != nil {
		return err
	}
	client := &http.Client{Timeout: 30 * time.Second}
	if e.TLSCertSHA256 != "" {
		client.Transport = &http.Transport{TLSClientConfig: sheet.PinnedTLSConfig(e.TLSCertSHA256)}
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.stopUp != nil {
		k.stopUp()
	}
	k.enrolment = e
	k.sealer = &sheet.Sealer{Terminal: k.terminal, Scorer: recipient}
	k.uploader = &sheet.Uploader{Outbox: k.Engine, Progress: k.Engine, Client: client, ScorerURL: e.ScorerURL, TerminalID: k.cfg.TerminalID, Terminal: k.terminal, ReceiptKey: receipts}
	ctx, cancel := context.WithCancel(context.Background())
	k.stopUp = cancel
	go k.uploader.Run(ctx)
	return nil
}

// sealerFunc adapts a function to exam.Sealer.
type sealerFunc func([]byte, exam.SealInfo) ([]byte, error)

func (f sealerFunc) Seal(plain []byte, info exam.SealInfo) ([]byte, error) { return f(plain, info) }

func (k *Kiosk) seal(plain []byte, info exam.SealInfo) ([]byte, error) {
	k.mu.Lock()
	s := k.sealer
	up := k.uploader
	k.mu.Unlock()
	if s == nil {
		return nil, ErrNotEnrolled
	}
	sealed, err := s.Seal(plain, info)
	if err == nil {
		up.Kick() // the submission commits right after; the uploader picks it up then
	}
	return sealed, err
}

// progressFunc adapts a function to exam.ProgressSealer.
type progressFunc func(*exam.Checkpoint) ([]byte, error)

func (f progressFunc) SealCheckpoint(cp *exam.Checkpoint) ([]byte, error) { return f(cp) }

func (k *Kiosk) sealProgress(cp *exam.Checkpoint) ([]byte, error) {
	k.mu.Lock()
	s := k.sealer
	k.mu.Unlock()
	if s == nil {
		return nil, ErrNotEnrolled
	}
	return s.SealCheckpoint(cp)
}

// sendProgress has the uploader send progress checkpoints as soon as the engine queued them,
// until the subscription ch ends.
func (k *Kiosk) sendProgress(ch <-chan exam.Notification) {
	for n := range ch {
		if n.Kind != exam.NotifyProgress {
			continue
		}
		k.mu.Lock()
		up := k.uploader
		k.mu.Unlock()
		if up != nil {
			up.KickProgress()
		}
	}
}

// DeliverNow asks the uploader to try at once.
func (k *Kiosk) DeliverNow() {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.uploader != nil {
		k.uploader.Kick()
	}
}

// ExportOutbox writes every undelivered sheet to dir (a USB stick) for `scorer import`.
func (k *Kiosk) ExportOutbox(dir string) (int, error) { return sheet.ExportUndelivered(k.Engine, dir) }

// Close stops delivering and closes the exam database; running attempts resume on the next Open.
func (k *Kiosk) Close() error {
	k.mu.Lock()
	if k.stopUp != nil {
		k.stopUp()
	}
	k.mu.Unlock()
	k.stopProgress()
	return k.Engine.Close()
}

// writeAtomic writes a file through a synced temporary file and a rename.
func writeAtomic(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.Write(data)
	cerr := tmp.Chmod(perm)
	serr := tmp.Sync()
	if err := errors.Join(werr, cerr, serr, tmp.Close()); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// admissionCheckTimeout bounds how long sign-in waits for the scorer to say whether a
// candidate sits elsewhere; past it the candidate is admitted, and the scorer shows the
// duplicate if there is one.
const admissionCheckTimeout = 3 * time.Second

// Elsewhere asks the scorer whether another terminal holds an attempt of the candidate at the
// part of the bank, and returns it as the refusal to admit them here; nil when none, or when
// the kiosk is not enrolled or the scorer cannot say in time.
func (k *Kiosk) Elsewhere(bankID, candidate, part string) *exam.AlreadyAttemptedError {
	k.mu.Lock()
	up := k.uploader
	k.mu.Unlock()
	if up == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), admissionCheckTimeout)
	defer cancel()
	a, err := up.CheckAdmission(ctx, bankID, candidate, part)
	if err != nil || a.Attempt == "" {
		return nil
	}
	return &exam.AlreadyAttemptedError{Candidate: candidate, Part: part, Terminal: a.Terminal, State: a.State}
}
