package sshsig

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

func TestParseTrustErrors(t *testing.T) {
	a := pubLine(seedSigner(t, 50).PublicKey())
	b64 := strings.Fields(a)[1]
	rsaLine := "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDDHr/jh2Jy4yALcK4JyWbVkPRaWmhck3IgCoeOO3z1e2dBowLh64QAM+Qb72pxekALga2oi4GvT+TlWNhzPH4V6Zkz8Th5cLPpN4njQ5mg8tVtAyO1Ai06Da0YmdpQcXBH9Q2CPKnyfgaT0RmCqRAxkC+AZHMfuWXGzTDXbbaHJw=="
	tests := []struct {
		name   string
		input  string
		line   int
		reason string // substring of the error
	}{
		{"empty", "", 0, "no keys"},
		{"only comments", "# nothing\n\n   \n\t# still nothing\n", 0, "no keys"},
		{"garbage line", a + "\nthis is not a key\n", 2, "neither a public key line"},
		{"principal only", "alice@example.org\n", 1, "missing key"},
		{"bad base64", "ssh-ed25519 AAAA!!!!\n", 1, "invalid base64"},
		{"truncated key", "ssh-ed25519 " + b64[:40] + "\n", 1, "ssh-ed25519"},
		{"type mismatch", "sk-ssh-ed25519@openssh.com " + b64 + "\n", 1, "sk-ssh-ed25519@openssh.com"},
		{"missing base64", "ssh-ed25519\n", 1, "missing base64"},
		{"rsa key", rsaLine + "\n", 1, "ssh-rsa keys are not supported"},
		{"rsa key in allowed_signers", "# c\nx@y " + rsaLine + "\n", 2, "ssh-rsa keys are not supported"},
		{"certificate", "ssh-ed25519-cert-v01@openssh.com AAAA\n", 1, "certificates"},
		{"cert-authority", "*@example.org cert-authority " + a + "\n", 1, "cert-authority option is not supported"},
		{"cert-authority uppercase", "*@example.org CERT-AUTHORITY,namespaces=\"x\" " + a + "\n", 1, "not supported"},
		{"unknown option", "x@y no-touch-required " + a + "\n", 1, "unknown option"},
		{"unknown option with value", "x@y from=\"10.0.0.1\" " + a + "\n", 1, "unknown option"},
		{"unquoted namespaces", "x@y namespaces=file " + a + "\n", 1, "double quotes"},
		{"unterminated quote", "x@y namespaces=\"file " + a + "\n", 1, "unterminated quote"},
		{"empty namespaces", "x@y namespaces=\"\" " + a + "\n", 1, "namespaces option is empty"},
		{"two namespaces", "x@y namespaces=\"a\",namespaces=\"b\" " + a + "\n", 1, "more than one namespaces"},
		{"trailing comma", "x@y namespaces=\"a\", " + a + "\n", 1, "end with a comma"},
		{"junk after value", "x@y namespaces=\"a\"b " + a + "\n", 1, "unexpected text"},
		{"bad timestamp", "x@y valid-after=\"2024-01-01\" " + a + "\n", 1, "invalid timestamp"},
		{"timestamp letters", "x@y valid-after=\"2024010A\" " + a + "\n", 1, "not all digits"},
		{"timestamp bad month", "x@y valid-after=\"20241301\" " + a + "\n", 1, "invalid timestamp"},
		{"timestamp epoch", "x@y valid-after=\"19700101Z\" " + a + "\n", 1, "not after 1970"},
		{"timestamp 9 digits", "x@y valid-before=\"202401011\" " + a + "\n", 1, "invalid timestamp"},
		{"two valid-after", "x@y valid-after=\"20240101\",valid-after=\"20240102\" " + a + "\n", 1, "more than one valid-after"},
		{"before not after after", "x@y valid-after=\"20250101Z\",valid-before=\"20240101Z\" " + a + "\n", 1, "not later than"},
		{"before equals after", "x@y valid-after=\"20250101Z\",valid-before=\"20250101Z\" " + a + "\n", 1, "not later than"},
		{"options without key", "x@y namespaces=\"a\"\n", 1, "missing key"},
		{"NUL byte", "x@y\x00 " + a + "\n", 1, "NUL"},
		{"error on line 5", "# 1\n\n" + a + "\n" + a + " again\n" + "ssh-ed25519 @@@\n", 5, "invalid base64"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			trust, err := ParseTrust([]byte(tc.input))
			if trust != nil {
				t.Fatal("got a trust list")
			}
			wantErr(t, err, ErrTrustSyntax)
			t.Log(err)
			var te *TrustError
			if !errors.As(err, &te) {
				t.Fatalf("error %T is not a *TrustError", err)
			}
			if te.Line != tc.line {
				t.Fatalf("error %q names line %d, want %d", err, te.Line, tc.line)
			}
			if tc.line > 0 && !strings.Contains(err.Error(), fmt.Sprintf("line %d:", tc.line)) {
				t.Fatalf("error %q does not say the line", err)
			}
			if !strings.Contains(err.Error(), tc.reason) {
				t.Fatalf("error %q does not say %q", err, tc.reason)
			}
		})
	}
}

func TestParseTrustAccepts(t *testing.T) {
	k1, k2, k3 := seedSigner(t, 51).PublicKey(), seedSigner(t, 52).PublicKey(), newSKKey(t, 53, 1).PublicKey()
	input := strings.Join([]string{
		"# authority keys",
		"",
		"authority@exam,backup@exam " + pubLine(k1) + " the authority",
		"  scorer@exam namespaces=\"ispit-receipt,ispit-sheet\" " + pubLine(k2),
		"token@exam Namespaces=\"ispit-*\",valid-after=\"20260101Z\",VALID-BEFORE=\"20270101000000UTC\"\t" + pubLine(k3) + "  yubikey 5 ",
		pubLine(k1) + " plain pub file line",
		"quoted@exam namespaces=\"a \\\"b\\\",c d\" " + pubLine(k2) + "\r",
		"\t# indented comment",
	}, "\n")
	trust, err := ParseTrust([]byte(input))
	if err != nil {
		t.Fatal(err)
	}
	keys := trust.Keys()
	want := []struct {
		line       int
		principals string
		namespaces string
		key        ssh.PublicKey
		comment    string
		after      time.Time
		before     time.Time
	}{
		{3, "authority@exam,backup@exam", "", k1, "the authority", time.Time{}, time.Time{}},
		{4, "scorer@exam", "ispit-receipt,ispit-sheet", k2, "", time.Time{}, time.Time{}},
		{5, "token@exam", "ispit-*", k3, "yubikey 5", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)},
		{6, "", "", k1, "plain pub file line", time.Time{}, time.Time{}},
		{7, "quoted@exam", "a \"b\",c d", k2, "", time.Time{}, time.Time{}},
	}
	if len(keys) != len(want) {
		t.Fatalf("got %d keys, want %d", len(keys), len(want))
	}
	for i, w := range want {
		g := keys[i]
		if g.Line != w.line || g.Principals != w.principals || g.Namespaces != w.namespaces || g.Comment != w.comment ||
			!g.ValidAfter.Equal(w.after) || !g.ValidBefore.Equal(w.before) || string(g.Key.Marshal()) != string(w.key.Marshal()) {
			t.Errorf("key %d: got %+v", i, g)
		}
	}
}

func TestTrustCheck(t *testing.T) {
	authority, scorer, token, stranger := seedSigner(t, 60).PublicKey(), seedSigner(t, 61).PublicKey(),
		seedSigner(t, 62).PublicKey(), seedSigner(t, 63).PublicKey()
	list := strings.Join([]string{
		"authority@exam namespaces=\"ispit-bank,ispit-roster\" " + pubLine(authority),
		"scorer@exam namespaces=\"ispit-*,!ispit-bank\" " + pubLine(scorer),
		"token@exam valid-after=\"20260101Z\",valid-before=\"20261231235959Z\" " + pubLine(token),
		// The same token key for a later period, under another name.
		"token2027@exam valid-after=\"20270101Z\" " + pubLine(token),
	}, "\n")
	trust, err := ParseTrust([]byte(list))
	if err != nil {
		t.Fatal(err)
	}
	in2026 := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		key    ssh.PublicKey
		ns     string
		at     time.Time
		want   string // principal; "" with reason set means refused
		reason string
	}{
		{"authority bank", authority, "ispit-bank", in2026, "authority@exam", ""},
		{"authority roster", authority, "ispit-roster", in2026, "authority@exam", ""},
		{"authority sheet", authority, "ispit-sheet", in2026, "", "not allowed for namespace"},
		{"authority prefix", authority, "ispit-ban", in2026, "", "not allowed for namespace"},
		{"scorer receipt", scorer, "ispit-receipt", in2026, "scorer@exam", ""},
		{"scorer negated bank", scorer, "ispit-bank", in2026, "", "not allowed for namespace"},
		{"scorer other prefix", scorer, "other", in2026, "", "not allowed for namespace"},
		{"token in period", token, "anything", in2026, "token@exam", ""},
		{"token at start", token, "x", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "token@exam", ""},
		{"token at end", token, "x", time.Date(2026, 12, 31, 23, 59, 59, 999, time.UTC), "token@exam", ""},
		{"token before", token, "x", time.Date(2025, 12, 31, 23, 59, 59, 0, time.UTC), "", "not valid before"},
		{"token gap then second line", token, "x", time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), "token2027@exam", ""},
		{"token much later", token, "x", time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC), "token2027@exam", ""},
		{"stranger", stranger, "ispit-bank", in2026, "", "not in the trust list"},
		{"nil key", nil, "ispit-bank", in2026, "", "no key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := trust.Check(tc.key, tc.ns, tc.at)
			if tc.reason == "" {
				if err != nil || p != tc.want {
					t.Fatalf("Check = %q, %v; want %q", p, err, tc.want)
				}
				return
			}
			wantErr(t, err, ErrNotTrusted)
			if p != "" || !strings.Contains(err.Error(), tc.reason) {
				t.Fatalf("Check = %q, %v; want refusal saying %q", p, err, tc.reason)
			}
		})
	}

	// The earlier line's reason is reported when every line refuses.
	_, err = trust.Check(token, "x", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
	if err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("got %v", err)
	}
	var nilTrust *Trust
	if _, err := nilTrust.Check(authority, "x", in2026); !errors.Is(err, ErrNotTrusted) {
		t.Fatal(err)
	}
	if nilTrust.Keys() != nil {
		t.Fatal("nil trust has keys")
	}
}

func TestPlainPubFileTrust(t *testing.T) {
	k1, k2 := seedSigner(t, 70).PublicKey(), seedSigner(t, 71).PublicKey()
	trust, err := ParseTrust([]byte(pubLine(k1) + " one\n" + pubLine(k2) + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []ssh.PublicKey{k1, k2} {
		if p, err := trust.Check(k, "any-namespace", fixedNow); err != nil || p != "" {
			t.Fatalf("Check = %q, %v", p, err)
		}
	}
	if _, err := trust.Check(seedSigner(t, 72).PublicKey(), "x", fixedNow); !errors.Is(err, ErrNotTrusted) {
		t.Fatal(err)
	}
}

func TestLocalTimestamps(t *testing.T) {
	loc := time.FixedZone("X", 3*3600)
	old := time.Local
	time.Local = loc
	defer func() { time.Local = old }()
	got, err := parseTimestamp("202601020304")
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 1, 2, 3, 4, 0, 0, loc); !got.Equal(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	got, err = parseTimestamp("20260102030405z")
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC); !got.Equal(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestMatchPattern(t *testing.T) {
	tests := []struct {
		s, p string
		want bool
	}{
		{"", "", true},
		{"a", "", false},
		{"", "*", true},
		{"abc", "abc", true},
		{"abc", "ab", false},
		{"abc", "a*", true},
		{"abc", "*c", true},
		{"abc", "*b*", true},
		{"abc", "a?c", true},
		{"ac", "a?c", false},
		{"a/b", "a*b", true},
		{"ispit-bank", "ispit-*", true},
		{"ispit-", "ispit-*", true},
		{"ispit", "ispit-*", false},
		{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "*a*a*a*a*a*a*a*a*a*a*a*a*c", false},
		{"[x]", "[x]", true},
		{"x", "[x]", false},
	}
	for _, tc := range tests {
		if got := matchPattern(tc.s, tc.p); got != tc.want {
			t.Errorf("matchPattern(%q, %q) = %v", tc.s, tc.p, got)
		}
	}
	lists := []struct {
		s, list string
		want    bool
	}{
		{"b", "a,b,c", true},
		{"d", "a,b,c", false},
		{"a", "!a,*", false},
		{"a", "*,!a", false},
		{"b", "*,!a", true},
		{"b", "!a", false},
		{"", "a,,b", true},
	}
	for _, tc := range lists {
		if got := matchPatternList(tc.s, tc.list); got != tc.want {
			t.Errorf("matchPatternList(%q, %q) = %v", tc.s, tc.list, got)
		}
	}
}

func TestLoadTrust(t *testing.T) {
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "authority.pub"), filepath.Join(dir, "junk.pub")
	os.WriteFile(good, []byte(pubLine(seedSigner(t, 73).PublicKey())+" authority\n"), 0o644)
	os.WriteFile(bad, []byte("not a key\n"), 0o644)
	if trust, err := LoadTrust(good); err != nil || len(trust.Keys()) != 1 {
		t.Errorf("%s: %v", good, err)
	}
	if _, err := LoadTrust(bad); !errors.Is(err, ErrTrustSyntax) || !strings.HasPrefix(err.Error(), bad+": ") || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("%s: %v, want a syntax error naming the file", bad, err)
	}
	if _, err := LoadTrust(filepath.Join(dir, "none.pub")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}
}
