package scorer

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Role is what a commission member may do in the console.
type Role string

// The roles of the selection commission.
const (
	// RoleSecretary manages accounts, resolves grader disagreements, publishes results,
	// answers appeals, sees the audit log and the exam day.
	RoleSecretary Role = "secretary"
	// RoleGrader grades written tasks blind.
	RoleGrader Role = "grader"
	// RoleInterviewer enters interview points.
	RoleInterviewer Role = "interviewer"
)

// Roles are every role, in the order they are listed.
var Roles = []Role{RoleSecretary, RoleGrader, RoleInterviewer}

// ParseRoles reads a comma-separated list of roles ("grader,interviewer").
func ParseRoles(s string) ([]Role, error) {
	var roles []Role
	for _, f := range strings.Split(s, ",") {
		r := Role(strings.ToLower(strings.TrimSpace(f)))
		if r == "" {
			continue
		}
		if !slices.Contains(Roles, r) {
			return nil, fmt.Errorf("unknown role %q (roles: secretary, grader, interviewer)", string(r))
		}
		if !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	if len(roles) == 0 {
		return nil, errors.New("an account needs at least one role: secretary, grader or interviewer")
	}
	slices.SortFunc(roles, func(a, b Role) int { return slices.Index(Roles, a) - slices.Index(Roles, b) })
	return roles, nil
}

// User is a commission member's console account.
type User struct {
	Name     string // the sign-in name: lower-case letters, digits, '.', '_', '-'
	FullName string // as printed on the record of results, above the signature line
	Roles    []Role
	// Password is the Argon2id hash of the password in the PHC string format.
	Password string
	// MustChange says the password is a one-time password: the member chooses their own at
	// the next sign-in before doing anything else.
	MustChange bool
	Disabled   bool
	Created    time.Time
}

// Has reports whether the user has a role.
func (u *User) Has(r Role) bool { return slices.Contains(u.Roles, r) }

var userNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

// NormalizeUserName returns the canonical form of a sign-in name (trimmed, lower case) or an
// error saying what a name may hold.
func NormalizeUserName(name string) (string, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if !userNamePattern.MatchString(n) {
		return "", fmt.Errorf("user name %q: 2 to 32 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit", name)
	}
	return n, nil
}

// CheckFullName checks a member's name as it is printed.
func CheckFullName(name string) error {
	n := strings.TrimSpace(name)
	if n == "" || utf8.RuneCountInString(n) > 100 || strings.ContainsAny(n, "\r\n\t") || !utf8.ValidString(n) {
		return errors.New("a full name is 1 to 100 characters on one line")
	}
	return nil
}

// Password rules: long enough that a guessed one is unlikely, short enough to hash quickly.
const (
	MinPasswordLength = 10
	MaxPasswordLength = 128
)

// ErrWeakPassword refuses a password the rules do not allow.
var ErrWeakPassword = fmt.Errorf("a password is %d to %d characters", MinPasswordLength, MaxPasswordLength)

// CheckPassword checks a password a member chooses.
func CheckPassword(pw string) error {
	if n := utf8.RuneCountInString(pw); n < MinPasswordLength || n > MaxPasswordLength || !utf8.ValidString(pw) {
		return ErrWeakPassword
	}
	return nil
}

// OneTimePassword makes a random password of 80 bits, written as four groups of four
// Crockford base32 symbols ("7KQ2-M9XA-P4RT-ZW3H"), for a new or reset account.
func OneTimePassword() string {
	b := make([]byte, 10)
	rand.Read(b)
	s := base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding).EncodeToString(b)
	return s[0:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16]
}

// Argon2id parameters: RFC 9106's second recommended option (t=3, 64 MiB, p=4), a 128-bit salt
// and a 256-bit tag, as for the kiosk's PINs.
const (
	argonTime    = 3
	argonMemory  = 64 * 1024
	argonThreads = 4
	argonKeyLen  = 32
)

// HashPassword returns the Argon2id hash of a password in the PHC string format
// ($argon2id$v=19$m=65536,t=3,p=4$salt$tag, unpadded base64).
func HashPassword(pw string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	tag := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(tag))
}

// VerifyPassword reports whether pw matches a hash made by HashPassword, in constant time. A
// hash it cannot read never matches.
func VerifyPassword(hash, pw string) bool {
	var version int
	var m uint32
	var t uint32
	var p uint8
	fields := strings.Split(hash, "$")
	if len(fields) != 6 || fields[1] != "argon2id" {
		return false
	}
	if _, err := fmt.Sscanf(fields[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(fields[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || m > 1<<20 || t == 0 || t > 16 || p == 0 {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(fields[4])
	tag, err2 := base64.RawStdEncoding.DecodeString(fields[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(tag) < 16 || len(tag) > 64 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(tag)))
	return subtle.ConstantTimeCompare(got, tag) == 1
}

// Sign-in limits: after signInFreeTries failed tries in a row every further failure locks the
// name out, for signInLockout doubled with each failure after that, up to signInMaxLockout.
// A success clears the count.
const (
	signInFreeTries  = 5
	signInLockout    = time.Minute
	signInMaxLockout = time.Hour
)

// SignInState is a sign-in name's standing: failed tries in a row, and the end of a lock-out.
type SignInState struct {
	Failures    int
	LockedUntil time.Time
}

// Sign-in errors. The console shows ErrSignIn for both a wrong name and a wrong password, so
// that it does not tell which names exist.
var (
	ErrSignIn = errors.New("wrong user name or password")
)

// LockedError refuses a sign-in while the name is locked out.
type LockedError struct{ Until time.Time }

func (e *LockedError) Error() string {
	return "too many failed sign-ins; try again after " + e.Until.UTC().Format(time.RFC3339)
}

// dummyHash is checked when a name is unknown, so that a wrong name takes as long as a wrong
// password.
var dummyHash = HashPassword("no account has this password")

// SignIn checks a name and password. The try is counted durably before the password is
// checked, so that a crash during the check still counts it; a name is locked out after
// repeated failures, whether or not it exists. It returns the user, or ErrSignIn, a
// *LockedError, or the store's error. A disabled account cannot sign in.
func SignIn(ctx context.Context, store Store, name, password string, now time.Time) (*User, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if len(n) > 64 {
		n = n[:64]
	}
	st, err := store.CountSignIn(ctx, n, now)
	if err != nil {
		return nil, err
	}
	if now.Before(st.LockedUntil) {
		return nil, &LockedError{Until: st.LockedUntil}
	}
	u, err := store.User(ctx, n)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	hash := dummyHash
	if u != nil {
		hash = u.Password
	}
	ok := len(password) <= 4*MaxPasswordLength && VerifyPassword(hash, password) && u != nil && !u.Disabled
	if ok {
		return u, store.SetSignInState(ctx, n, SignInState{})
	}
	if st.Failures <= signInFreeTries {
		return nil, ErrSignIn // the try is counted already
	}
	st.LockedUntil = now.Add(min(signInLockout<<min(st.Failures-signInFreeTries-1, 16), signInMaxLockout))
	if err := store.SetSignInState(ctx, n, st); err != nil {
		return nil, err
	}
	return nil, &LockedError{Until: st.LockedUntil}
}

// Session is a signed-in browser: the cookie holds a random token, the store only its hash.
type Session struct {
	TokenHash string
	User      string
	// CSRF is the token every form of the session carries back.
	CSRF    string
	Created time.Time
	Seen    time.Time
	Expires time.Time
}

// Session lifetimes: a session ends after SessionIdle without a request, and after
// SessionMax in any case.
const (
	SessionIdle = 30 * time.Minute
	SessionMax  = 12 * time.Hour
)

// NewSession starts a session for a user and returns it with the token for the cookie.
func NewSession(user string, now time.Time) (Session, string) {
	token := RandomToken()
	return Session{
		TokenHash: HashToken(token),
		User:      user,
		CSRF:      RandomToken(),
		Created:   now.UTC(),
		Seen:      now.UTC(),
		Expires:   now.UTC().Add(SessionIdle),
	}, token
}

// Extended returns when a session used now expires: SessionIdle later, never after SessionMax
// from its start.
func (s Session) Extended(now time.Time) time.Time {
	return minTime(now.Add(SessionIdle), s.Created.Add(SessionMax)).UTC()
}

// Valid reports whether a session may be used now.
func (s Session) Valid(now time.Time) bool {
	return now.Before(s.Expires) && now.Before(s.Created.Add(SessionMax))
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// RandomToken returns 256 random bits, base64url without padding.
func RandomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is what the store keeps of a session token: its SHA-256, so that a copy of the
// database does not hold live sessions.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
