package exam

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"golang.org/x/crypto/argon2"
)

// Role is who a PIN belongs to.
type Role string

// The roles with a PIN on a kiosk.
const (
	RoleProctor Role = "proctor"
	RoleAdmin   Role = "admin"
)

// PIN rules. Argon2id takes the RFC 9106 second recommended parameters (t=3, 64 MiB, p=4,
// 128-bit salt, 256-bit tag). After pinFreeTries wrong PINs in a row every further one locks the
// role out, for pinLockout doubled with each wrong PIN after that, up to pinMaxLockout.
const (
	MinPINLength  = 6
	MaxPINLength  = 32
	pinFreeTries  = 5
	pinLockout    = time.Minute
	pinMaxLockout = time.Hour
	argonTime     = 3
	argonMemory   = 64 * 1024
	argonThreads  = 4
	argonKeyLen   = 32
)

// PIN errors.
var (
	ErrWrongPIN = errors.New("wrong PIN")
	ErrNoPIN    = errors.New("no PIN is set for this role")
	ErrBadPIN   = fmt.Errorf("a PIN is %d to %d digits", MinPINLength, MaxPINLength)
)

// LockedOutError refuses a PIN try while the role is locked out.
type LockedOutError struct {
	Role  Role
	Until time.Time
}

func (e *LockedOutError) Error() string {
	return fmt.Sprintf("too many wrong PINs: %s is locked until %s", e.Role, e.Until.Format(time.RFC3339))
}

// pinHash is Argon2id of an HMAC of the PIN under the terminal secret: a stolen database alone
// does not allow guessing PINs offline.
func (e *Engine) pinHash(pin string, salt []byte) []byte {
	m := hmac.New(sha256.New, e.opt.Secret)
	m.Write([]byte(pin))
	// Argon2id takes its 64 MiB at once. Collect the garbage and hand the free pages back to the
	// system first, so that the hash does not come on top of them: the kiosk's peak is some
	// 4.5 MB lower, for 10 to 90 ms of collecting beside a hash of 0.5 to 0.9 s on a 2-core
	// machine (docs/kiosk.md, Memory).
	debug.FreeOSMemory()
	return argon2.IDKey(m.Sum(nil), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
}

func validPIN(pin string) bool {
	if len(pin) < MinPINLength || len(pin) > MaxPINLength {
		return false
	}
	for _, r := range pin {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// SetPIN sets the PIN of a role and clears its failed tries.
func (e *Engine) SetPIN(role Role, pin string) error {
	if !validPIN(pin) {
		return ErrBadPIN
	}
	salt := make([]byte, 16)
	rand.Read(salt)
	hash := e.pinHash(pin, salt)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return ErrClosed
	}
	_, err := e.db.Exec(`INSERT INTO pins (role, salt, hash, failures, locked_until) VALUES (?, ?, ?, 0, '')
		ON CONFLICT (role) DO UPDATE SET salt = excluded.salt, hash = excluded.hash, failures = 0, locked_until = ''`, string(role), salt, hash)
	return err
}

// HasPIN reports whether a role has a PIN.
func (e *Engine) HasPIN(role Role) (bool, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var n int
	err := e.db.QueryRow(`SELECT count(*) FROM pins WHERE role = ?`, string(role)).Scan(&n)
	return n == 1, err
}

// CheckPIN checks a PIN. The try is counted durably before the PIN is checked, so pulling the
// plug during the check still counts it. It returns ErrWrongPIN with the tries left before a
// lock-out, or a *LockedOutError.
func (e *Engine) CheckPIN(role Role, pin string) (triesLeft int, err error) {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return 0, ErrClosed
	}
	var salt, hash []byte
	var failures int
	var locked string
	now := e.clock.Now().UTC()
	err = withTx(e.db, func(tx *sql.Tx) error {
		err := tx.QueryRow(`SELECT salt, hash, failures, locked_until FROM pins WHERE role = ?`, string(role)).Scan(&salt, &hash, &failures, &locked)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNoPIN
		}
		if err != nil {
			return err
		}
		if until, err := time.Parse(time.RFC3339Nano, locked); err == nil && now.Before(until) {
			return &LockedOutError{Role: role, Until: until}
		}
		failures++
		_, err = tx.Exec(`UPDATE pins SET failures = ? WHERE role = ?`, failures, string(role))
		return err
	})
	e.mu.Unlock()
	if err != nil {
		return 0, err
	}
	// The slow derivation runs without the engine's lock, so answers are not held up.
	ok := validPIN(pin) && subtle.ConstantTimeCompare(e.pinHash(pin, salt), hash) == 1
	e.mu.Lock()
	defer e.mu.Unlock()
	if ok {
		_, err := e.db.Exec(`UPDATE pins SET failures = 0, locked_until = '' WHERE role = ?`, string(role))
		return 0, err
	}
	if failures < pinFreeTries {
		return pinFreeTries - failures, ErrWrongPIN
	}
	lock := min(pinLockout<<(failures-pinFreeTries), pinMaxLockout)
	until := now.Add(lock)
	if _, err := e.db.Exec(`UPDATE pins SET locked_until = ? WHERE role = ?`, until.Format(time.RFC3339Nano), string(role)); err != nil {
		return 0, err
	}
	return 0, &LockedOutError{Role: role, Until: until}
}
