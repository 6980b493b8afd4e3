package sshsig

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
)

// maxTrustSize bounds the trust lists ParseTrust reads.
const maxTrustSize = 1 << 20

// TrustedKey is one key line of a trust list.
type TrustedKey struct {
	// Line is the 1-based line number in the trust list.
	Line int
	// Principals is the principals field of an allowed_signers line, as
	// written (a comma-separated pattern list), or "" for a plain public key
	// line.
	Principals string
	// Namespaces is the namespaces="..." pattern list, or "" when the line
	// does not restrict namespaces.
	Namespaces string
	// ValidAfter and ValidBefore bound the key's validity; the zero time
	// means no bound.
	ValidAfter, ValidBefore time.Time
	// Key is the public key.
	Key ssh.PublicKey
	// Comment is the text after the key, if any.
	Comment string
}

// Trust is a parsed trust list: the keys allowed to sign, with the
// restrictions of an allowed_signers file. Build it with ParseTrust.
type Trust struct {
	keys []trustEntry
}

type trustEntry struct {
	TrustedKey
	raw []byte // Key.Marshal()
}

// ParseTrust parses a trust list. It accepts, line by line and mixed:
//
//   - allowed_signers lines, as described in ssh-keygen(1) "ALLOWED
//     SIGNERS": principals, optional options, key type, base64 key,
//     optional comment. The options namespaces="pattern-list",
//     valid-after="timestamp" and valid-before="timestamp" are supported
//     (timestamps YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS, in local time
//     unless suffixed with Z or UTC, as ssh-keygen reads them); option names
//     are case-insensitive. cert-authority is refused as not supported, as
//     are unknown options.
//   - plain public key lines ("ssh-ed25519 AAAA... comment", as in .pub
//     files); their principal is empty and they have no restrictions.
//
// Blank lines and lines starting with '#' are ignored. Keys must be
// ssh-ed25519 or sk-ssh-ed25519@openssh.com. Unlike ssh-keygen, an empty
// namespaces="" option and a list without any key are refused, since both
// can only be mistakes. Errors are *TrustError values naming the line and
// wrapping ErrTrustSyntax.
func ParseTrust(data []byte) (*Trust, error) {
	if len(data) > maxTrustSize {
		return nil, &TrustError{Reason: fmt.Sprintf("trust list is larger than %d bytes", maxTrustSize)}
	}
	t := &Trust{}
	for i, line := range strings.Split(string(data), "\n") {
		e, err := parseTrustLine(line)
		if err != nil {
			return nil, &TrustError{Line: i + 1, Reason: err.Error()}
		}
		if e == nil {
			continue
		}
		e.Line = i + 1
		t.keys = append(t.keys, *e)
	}
	if len(t.keys) == 0 {
		return nil, &TrustError{Reason: "no keys found"}
	}
	return t, nil
}

// LoadTrust reads the trust list in the file at path (a public key file or an allowed_signers
// file); an error in it names the file.
func LoadTrust(path string) (*Trust, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	t, err := ParseTrust(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// Keys returns the keys of the trust list, in file order, for display.
func (t *Trust) Keys() []TrustedKey {
	if t == nil {
		return nil
	}
	out := make([]TrustedKey, len(t.keys))
	for i, e := range t.keys {
		out[i] = e.TrustedKey
	}
	return out
}

// Check decides whether key may sign in namespace at time at, as
// `ssh-keygen -Y verify` does with an allowed_signers file: some line must
// list the key (compared by its wire encoding), allow the namespace (its
// namespaces pattern list, with '*' and '?' wildcards and '!' negation, as
// in ssh_config(5) PATTERNS), and be valid at at (valid-after <= at <=
// valid-before, to the second). It returns the principals field of the
// first such line ("" for a plain public key line). Otherwise the error
// wraps ErrNotTrusted and says why.
func (t *Trust) Check(key ssh.PublicKey, namespace string, at time.Time) (principal string, err error) {
	if key == nil {
		return "", errorf(ErrNotTrusted, "no key given")
	}
	if t == nil || len(t.keys) == 0 {
		return "", errorf(ErrNotTrusted, "the trust list is empty")
	}
	raw := key.Marshal()
	fp := ssh.FingerprintSHA256(key)
	var firstErr error
	for _, e := range t.keys {
		if !bytes.Equal(e.raw, raw) {
			continue
		}
		var reason error
		switch {
		case e.Namespaces != "" && !matchPatternList(namespace, e.Namespaces):
			reason = errorf(ErrNotTrusted, "key %s (line %d) is not allowed for namespace %q (allowed: %s)",
				fp, e.Line, namespace, e.Namespaces)
		case !e.ValidAfter.IsZero() && at.Unix() < e.ValidAfter.Unix():
			reason = errorf(ErrNotTrusted, "key %s (line %d) is not valid before %s",
				fp, e.Line, e.ValidAfter.Format(time.RFC3339))
		case !e.ValidBefore.IsZero() && at.Unix() > e.ValidBefore.Unix():
			reason = errorf(ErrNotTrusted, "key %s (line %d) expired at %s",
				fp, e.Line, e.ValidBefore.Format(time.RFC3339))
		default:
			return e.Principals, nil
		}
		if firstErr == nil {
			firstErr = reason
		}
	}
	if firstErr != nil {
		return "", firstErr
	}
	return "", errorf(ErrNotTrusted, "key %s is not in the trust list", fp)
}

// parseTrustLine parses one line; it returns nil, nil for blank and comment
// lines.
func parseTrustLine(line string) (*trustEntry, error) {
	line = strings.TrimRight(line, "\r")
	s := strings.TrimLeft(line, " \t")
	if s == "" || s[0] == '#' {
		return nil, nil
	}
	if strings.IndexByte(s, 0) >= 0 {
		return nil, fmt.Errorf("line contains a NUL byte")
	}

	// A plain public key line: key type, base64, comment.
	if e, err := parseKeyField(s); err == nil {
		return e, nil
	} else if isKnownKeyType(firstField(s)) {
		return nil, err
	}

	// An allowed_signers line: principals [options] keytype base64 [comment].
	principals, rest := cutField(s)
	if rest == "" {
		return nil, fmt.Errorf("missing key after principals %q", truncate(principals))
	}
	if e, err := parseKeyField(rest); err == nil {
		e.Principals = principals
		return e, nil
	} else if isKnownKeyType(firstField(rest)) {
		return nil, err
	}
	opts, rest, err := cutOptions(rest)
	if err != nil {
		return nil, err
	}
	if rest == "" {
		return nil, fmt.Errorf("missing key after options")
	}
	e, err := parseKeyField(rest)
	if err != nil {
		if !isKnownKeyType(firstField(rest)) {
			return nil, fmt.Errorf("neither a public key line (key-type base64 [comment]) nor an allowed_signers line "+
				"(principals [options] key-type base64 [comment]): %v", err)
		}
		return nil, err
	}
	e.Principals = principals
	if err := parseOptions(opts, e); err != nil {
		return nil, err
	}
	return e, nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// cutField splits s at the first run of spaces or tabs.
func cutField(s string) (field, rest string) {
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimLeft(s[i:], " \t")
}

func firstField(s string) string {
	f, _ := cutField(s)
	return f
}

// isKnownKeyType reports whether t names an SSH public key type, so that a
// bad or unsupported key is reported as such rather than as a bad principal
// or option.
func isKnownKeyType(t string) bool {
	switch t {
	case ssh.KeyAlgoRSA, "ssh-dss", ssh.KeyAlgoECDSA256, ssh.KeyAlgoECDSA384, ssh.KeyAlgoECDSA521,
		ssh.KeyAlgoSKECDSA256, ssh.KeyAlgoED25519, ssh.KeyAlgoSKED25519:
		return true
	}
	return strings.HasSuffix(t, "-cert-v01@openssh.com")
}

// parseKeyField parses "keytype base64 [comment]".
func parseKeyField(s string) (*trustEntry, error) {
	typ, rest := cutField(s)
	b64, comment := cutField(rest)
	if !isKnownKeyType(typ) {
		return nil, fmt.Errorf("%q is not a key type", truncate(typ))
	}
	if strings.HasSuffix(typ, "-cert-v01@openssh.com") {
		return nil, fmt.Errorf("certificates (%s) are not supported: list the plain %s key", truncate(typ), KeyTypeEd25519)
	}
	if b64 == "" {
		return nil, fmt.Errorf("missing base64 key after %s", typ)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, fmt.Errorf("invalid base64 in %s key: %v", typ, err)
	}
	key, err := ssh.ParsePublicKey(raw)
	if err != nil {
		return nil, fmt.Errorf("invalid %s key: %v", typ, err)
	}
	if key.Type() != typ {
		return nil, fmt.Errorf("key type field says %s but the key is %s", typ, key.Type())
	}
	if !supportedKeyType(typ) {
		return nil, fmt.Errorf("%s keys are not supported: only %s and %s", typ, KeyTypeEd25519, KeyTypeSKEd25519)
	}
	m := key.Marshal()
	if !bytes.Equal(m, raw) {
		return nil, fmt.Errorf("%s key is not canonically encoded", typ)
	}
	return &trustEntry{TrustedKey: TrustedKey{Key: key, Comment: strings.TrimSpace(comment)}, raw: m}, nil
}

// cutOptions splits the options field, which ends at the first space or
// tab outside double quotes (a backslash-escaped quote does not end a
// quoted string), as ssh-keygen's sshkey_advance_past_options does.
func cutOptions(s string) (opts, rest string, err error) {
	quoted := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case !quoted && isSpace(c):
			return s[:i], strings.TrimLeft(s[i:], " \t"), nil
		case quoted && c == '\\' && i+1 < len(s) && s[i+1] == '"':
			i++
		case c == '"':
			quoted = !quoted
		}
	}
	if quoted {
		return "", "", fmt.Errorf("unterminated quote in options")
	}
	return s, "", nil
}

// parseOptions parses the comma-separated allowed_signers options into e,
// following ssh-keygen's sshsigopt_parse.
func parseOptions(opts string, e *trustEntry) error {
	var haveNS, haveAfter, haveBefore bool
	for opts != "" {
		name, value, isValue := optionName(opts)
		switch {
		case strings.EqualFold(name, "cert-authority") && !isValue:
			return fmt.Errorf("the cert-authority option is not supported: list the signing keys themselves")
		case strings.EqualFold(name, "namespaces") && isValue:
			if haveNS {
				return fmt.Errorf("more than one namespaces option")
			}
			haveNS = true
			v, rest, err := dequote(value)
			if err != nil {
				return fmt.Errorf("namespaces option: %v", err)
			}
			if v == "" {
				return fmt.Errorf("namespaces option is empty: the key could sign nothing")
			}
			e.Namespaces, opts = v, rest
		case strings.EqualFold(name, "valid-after") && isValue:
			if haveAfter {
				return fmt.Errorf("more than one valid-after option")
			}
			haveAfter = true
			v, rest, err := dequote(value)
			if err != nil {
				return fmt.Errorf("valid-after option: %v", err)
			}
			if e.ValidAfter, err = parseTimestamp(v); err != nil {
				return fmt.Errorf("valid-after option: %v", err)
			}
			opts = rest
		case strings.EqualFold(name, "valid-before") && isValue:
			if haveBefore {
				return fmt.Errorf("more than one valid-before option")
			}
			haveBefore = true
			v, rest, err := dequote(value)
			if err != nil {
				return fmt.Errorf("valid-before option: %v", err)
			}
			if e.ValidBefore, err = parseTimestamp(v); err != nil {
				return fmt.Errorf("valid-before option: %v", err)
			}
			opts = rest
		default:
			return fmt.Errorf("unknown option %q (supported: namespaces, valid-after, valid-before)", truncate(name))
		}
		if opts == "" {
			break
		}
		if opts[0] != ',' {
			return fmt.Errorf("unexpected text %q after option %s", truncate(opts), name)
		}
		opts = opts[1:]
		if opts == "" {
			return fmt.Errorf("options end with a comma")
		}
	}
	if haveAfter && haveBefore && !e.ValidBefore.After(e.ValidAfter) {
		return fmt.Errorf("valid-before is not later than valid-after")
	}
	return nil
}

// optionName splits "name=value..." or "name,..." into the option name and,
// for "name=", the text after '='.
func optionName(opts string) (name, value string, isValue bool) {
	i := strings.IndexAny(opts, "=,")
	if i < 0 {
		return opts, "", false
	}
	if opts[i] == '=' {
		return opts[:i], opts[i+1:], true
	}
	return opts[:i], "", false
}

// dequote reads a double-quoted string at the start of s, where \" stands
// for a quote, and returns it with the text after the closing quote.
func dequote(s string) (value, rest string, err error) {
	if s == "" || s[0] != '"' {
		return "", "", fmt.Errorf("value must be in double quotes")
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == '"':
			b.WriteByte('"')
			i++
		case s[i] == '"':
			return b.String(), s[i+1:], nil
		default:
			b.WriteByte(s[i])
		}
	}
	return "", "", fmt.Errorf("missing closing quote")
}

// parseTimestamp reads YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS, in local
// time unless suffixed with Z or UTC (either case), as ssh-keygen's
// parse_absolute_time does. Times at or before the Unix epoch are refused.
func parseTimestamp(s string) (time.Time, error) {
	loc := time.Local
	digits := s
	switch {
	case len(s) > 1 && strings.EqualFold(s[len(s)-1:], "Z"):
		loc, digits = time.UTC, s[:len(s)-1]
	case len(s) > 3 && strings.EqualFold(s[len(s)-3:], "UTC"):
		loc, digits = time.UTC, s[:len(s)-3]
	}
	var layout string
	switch len(digits) {
	case 8:
		layout = "20060102"
	case 12:
		layout = "200601021504"
	case 14:
		layout = "20060102150405"
	default:
		return time.Time{}, fmt.Errorf("invalid timestamp %q: want YYYYMMDD[Z], YYYYMMDDHHMM[Z] or YYYYMMDDHHMMSS[Z]", truncate(s))
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return time.Time{}, fmt.Errorf("invalid timestamp %q: not all digits", truncate(s))
		}
	}
	t, err := time.ParseInLocation(layout, digits, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("invalid timestamp %q: %v", truncate(s), err)
	}
	if t.Unix() <= 0 {
		return time.Time{}, fmt.Errorf("invalid timestamp %q: not after 1970", truncate(s))
	}
	return t, nil
}

// matchPatternList reports whether s matches the comma-separated pattern
// list, as OpenSSH's match_pattern_list: a matching negated pattern ("!p")
// denies; otherwise any matching pattern allows.
func matchPatternList(s, list string) bool {
	positive := false
	for _, p := range strings.Split(list, ",") {
		negated := false
		if strings.HasPrefix(p, "!") {
			negated, p = true, p[1:]
		}
		if matchPattern(s, p) {
			if negated {
				return false
			}
			positive = true
		}
	}
	return positive
}

// matchPattern matches s against p, where '*' matches any run of bytes
// (including none) and '?' any one byte, as OpenSSH's match_pattern. It
// runs in O(len(s)*len(p)) time whatever the pattern.
func matchPattern(s, p string) bool {
	si, pi := 0, 0
	starP, starS := -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && p[pi] == '*':
			starP, starS = pi, si
			pi++
		case pi < len(p) && (p[pi] == '?' || p[pi] == s[si]):
			si++
			pi++
		case starP >= 0:
			starS++
			si, pi = starS, starP+1
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}
