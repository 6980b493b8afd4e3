package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// bankctl runs the command in-process and returns its exit status and output.
func bankctl(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func demoSource(t *testing.T) string {
	path, err := filepath.Abs("../../assets/demo/bank/bank.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return path
}

func TestBuildVerifyOpenRoster(t *testing.T) {
	dir := t.TempDir()
	keys := filepath.Join(dir, "keys")
	if code, _, stderr := bankctl(t, "keygen", "--out", keys); code != 0 {
		t.Fatalf("keygen: %d %s", code, stderr)
	}
	if info, err := os.Stat(filepath.Join(keys, "authority.key")); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("authority.key: %v, mode %v", err, info.Mode())
	}
	key, pub := filepath.Join(keys, "authority.key"), filepath.Join(keys, "authority.pub")
	bankFile, answers := filepath.Join(dir, "exam.bank"), filepath.Join(dir, "exam.answers")

	code, stdout, stderr := bankctl(t, "build", "--key", key, "--source", demoSource(t), "--out", bankFile, "--answers", answers, "--work-factor", "10")
	if code != 0 {
		t.Fatalf("build: %d %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	startCode := lines[len(lines)-1]
	if len(startCode) != 20 || strings.Count(startCode, "-") != 3 {
		t.Fatalf("last line of build output is not a start code: %q", startCode)
	}
	if info, _ := os.Stat(answers); info.Mode().Perm() != 0o600 {
		t.Fatalf("answer key mode %v", info.Mode())
	}

	for _, file := range []string{bankFile, answers} {
		if code, stdout, stderr := bankctl(t, "verify", "--trust", pub, file); code != 0 || !strings.HasPrefix(stdout, "OK ") {
			t.Fatalf("verify %s: %d %s %s", file, code, stdout, stderr)
		}
	}
	code, stdout, stderr = bankctl(t, "open", "--trust", pub, "--start-code", strings.ToLower(startCode), bankFile)
	if code != 0 || !strings.Contains(stdout, "61 items") || !strings.Contains(stdout, "part public (public): 21 items drawn from 45") {
		t.Fatalf("open: %d %s %s", code, stdout, stderr)
	}
	code, stdout, _ = bankctl(t, "inspect", bankFile)
	if code != 0 || !strings.Contains(stdout, `"format": "ispit-bank/1"`) || strings.Contains(stdout, `"correct"`) {
		t.Fatalf("inspect: %d %s", code, stdout)
	}

	roster := filepath.Join(dir, "roster.signed")
	if code, _, stderr := bankctl(t, "roster", "--key", key, "../../assets/demo/roster.csv", "--out", roster); code != 0 {
		t.Fatalf("roster: %d %s", code, stderr)
	}
	if code, stdout, stderr := bankctl(t, "verify", "--trust", pub, roster); code != 0 || !strings.Contains(stdout, "12 candidates") {
		t.Fatalf("verify roster: %d %s %s", code, stdout, stderr)
	}
}

// TestFailuresSayOneLine checks that every failure exits non-zero with one line saying why.
func TestFailuresSayOneLine(t *testing.T) {
	dir := t.TempDir()
	keys := filepath.Join(dir, "keys")
	other := filepath.Join(dir, "other")
	bankctl(t, "keygen", "--out", keys)
	bankctl(t, "keygen", "--out", other)
	key, pub, otherPub := filepath.Join(keys, "authority.key"), filepath.Join(keys, "authority.pub"), filepath.Join(other, "authority.pub")
	bankFile, answers := filepath.Join(dir, "exam.bank"), filepath.Join(dir, "exam.answers")
	_, stdout, _ := bankctl(t, "build", "--key", key, "--source", demoSource(t), "--out", bankFile, "--answers", answers, "--work-factor", "10")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	startCode := lines[len(lines)-1]
	wrongCode := "DEM0-Z31Z-EW6N-2RX86"
	if wrongCode == startCode {
		t.Skip("the random start code is the demo one")
	}
	tampered := filepath.Join(dir, "tampered.bank")
	data, _ := os.ReadFile(bankFile)
	data[len(data)/2] ^= 1
	os.WriteFile(tampered, data, 0o644)
	badSource := filepath.Join(dir, "bank.yaml")
	os.WriteFile(badSource, []byte("format: ispit-bank-source/1\nid: x\nvalid_from: 2026-01-01T00:00:00Z\nvalid_until: 2027-01-01T00:00:00Z\nitems: [missing.yaml]\n"), 0o644)

	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no command", nil, 2, "Commands:"},
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"unknown flag", []string{"verify", "--nope", bankFile}, 2, "flag provided but not defined: -nope"},
		{"missing flag", []string{"build", "--key", key}, 2, "missing --answers, --out, --source"},
		{"missing file", []string{"verify", "--trust", pub, filepath.Join(dir, "nope.bank")}, 1, "no such file or directory"},
		{"untrusted", []string{"verify", "--trust", otherPub, bankFile}, 1, "signed by a key that is not trusted"},
		{"tampered", []string{"verify", "--trust", pub, tampered}, 1, "payload does not match the manifest"},
		{"expired", []string{"verify", "--trust", pub, "--at", "2031-01-01T00:00:00Z", bankFile}, 1, "bank expired: valid until 2030-12-31T23:59:59Z"},
		{"wrong start code", []string{"open", "--trust", pub, "--start-code", wrongCode, bankFile}, 1, "wrong start code"},
		{"mistyped start code", []string{"open", "--trust", pub, "--start-code", startCode[:len(startCode)-1] + flipSymbol(startCode[len(startCode)-1]), bankFile}, 1, "mistyped"},
		{"source error", []string{"build", "--key", key, "--source", badSource, "--out", filepath.Join(dir, "b"), "--answers", filepath.Join(dir, "a")}, 1, "missing.yaml: file not found"},
		{"not a key", []string{"roster", "--key", bankFile, "../../assets/demo/roster.csv", "--out", filepath.Join(dir, "r")}, 1, "bankctl roster: "},
		{"bad roster", []string{"roster", "--key", key, badSource, "--out", filepath.Join(dir, "r")}, 1, "roster line 1: unknown column"},
		{"inspect garbage", []string{"inspect", badSource}, 1, "not a bank file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := bankctl(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want exit %d and %q", code, stderr, tt.code, tt.want)
			}
			if tt.code == 1 && strings.Count(stderr, "\n") != 1 {
				t.Fatalf("failure is not one line: %q", stderr)
			}
			if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
				t.Fatalf("stack trace: %s", stderr)
			}
		})
	}
}

func flipSymbol(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

func TestHelp(t *testing.T) {
	for name := range program.Commands {
		code, stdout, _ := bankctl(t, name, "--help")
		if code != 0 || !strings.HasPrefix(stdout, "usage: bankctl "+name) {
			t.Errorf("%s --help: exit %d, %q", name, code, stdout)
		}
	}
	if code, _, stderr := bankctl(t, "--help"); code != 0 || !strings.Contains(stderr, "keygen") {
		t.Errorf("--help: exit %d %q", code, stderr)
	}
}
