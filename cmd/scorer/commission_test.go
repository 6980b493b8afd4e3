package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"ispit/bank"
	"ispit/internal/competition"
	"ispit/internal/sshsig"
	"ispit/scorer"
)

// TestCommissionCommands runs the commands that prepare the commission's work, and their
// refusals: accounts, the questions and the roster after the exam, the rules, a key amendment.
func TestCommissionCommands(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "scorer")
	mustRun(t, "keygen", "--data", data)
	authorityKey, authorityPub := filepath.Join(dir, "authority.key"), filepath.Join(dir, "authority.pub")
	if err := sshsig.WriteKeyPair(authorityKey, authorityPub, "authority"); err != nil {
		t.Fatal(err)
	}
	strangerKey, strangerPub := filepath.Join(dir, "stranger.key"), filepath.Join(dir, "stranger.pub")
	if err := sshsig.WriteKeyPair(strangerKey, strangerPub, "stranger"); err != nil {
		t.Fatal(err)
	}
	signer := loadSigner(t, authorityKey)
	files, err := competition.BuildFiles(signer, 1)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bankFile, answers, roster := write("demo.bank", files.Bank), write("demo.answers", files.Answers), write("roster.signed", files.Roster)

	// Accounts.
	out := mustRun(t, "user", "add", "--data", data, "--name", "Tajnica", "--full-name", "Amra Tajić", "--role", "secretary")
	if !strings.Contains(out, "user tajnica: one-time password ") {
		t.Fatalf("user add: %s", out)
	}
	for name, args := range map[string][]string{
		"taken":        {"--name", "tajnica", "--role", "grader"},
		"bad name":     {"--name", "ana marić", "--role", "grader"},
		"unknown role": {"--name", "ana", "--role", "chair"},
	} {
		if code, _, stderr := scorerCmd(t, append([]string{"user", "add", "--data", data}, args...)...); code != 1 {
			t.Errorf("%s: exit %d %s", name, code, stderr)
		}
	}
	passwordInput = strings.NewReader("short\n")
	if code, _, _ := scorerCmd(t, "user", "add", "--data", data, "--name", "ana", "--role", "grader", "--password-stdin"); code != 1 {
		t.Error("a short password was taken")
	}
	passwordInput = strings.NewReader("ana's long password\n")
	mustRun(t, "user", "add", "--data", data, "--name", "ana", "--role", "grader,interviewer", "--password-stdin")
	if out := mustRun(t, "user", "reset", "--data", data, "--name", "ana"); !strings.Contains(out, "one-time password") {
		t.Errorf("user reset: %s", out)
	}
	if code, _, _ := scorerCmd(t, "user", "reset", "--data", data, "--name", "nobody"); code != 1 {
		t.Error("reset of an unknown user")
	}

	// The questions and the roster, checked against the authority.
	if code, _, stderr := scorerCmd(t, "bank", "load", "--data", data, "--trust", authorityPub, "--start-code", bank.NewStartCode(), bankFile); code != 1 || !strings.Contains(stderr, "wrong start code") {
		t.Errorf("a wrong start code: %d %s", code, stderr)
	}
	if code, _, _ := scorerCmd(t, "bank", "load", "--data", data, "--trust", strangerPub, "--start-code", files.StartCode, bankFile); code != 1 {
		t.Error("a bank checked against another key")
	}
	mustRun(t, "bank", "load", "--data", data, "--trust", authorityPub, "--start-code", files.StartCode, bankFile)
	if code, _, _ := scorerCmd(t, "roster", "load", "--data", data, "--trust", strangerPub, roster); code != 1 {
		t.Error("a roster checked against another key")
	}
	if out := mustRun(t, "roster", "load", "--data", data, "--trust", authorityPub, roster); !strings.Contains(out, "12 candidates") {
		t.Errorf("roster load: %s", out)
	}

	// The rules.
	if code, _, _ := scorerCmd(t, "rules", "--data", data, "--graders", "9"); code != 1 {
		t.Error("nine graders per task accepted")
	}
	if out := mustRun(t, "rules", "--data", data, "--graders", "2", "--disagreement", "10"); !strings.Contains(out, "graders per task 2, disagreement limit 10") {
		t.Errorf("rules: %s", out)
	}

	// A key amendment: refused before the key is loaded, by a stranger, then loaded once.
	key, _ := bank.DecodeAnswerKey(files.Answers)
	issued := time.Now().UTC().Truncate(time.Second) // one amendment, signed by each signer
	amend := func(by ssh.Signer) string {
		file, err := bank.SignAmendment(&bank.Amendment{Format: bank.AmendmentFormat, BankID: key.BankID, ManifestSHA256: key.ManifestSHA256,
			Sequence: 1, IssuedAt: issued, Reason: "Odluka 3/26",
			Changes: []bank.AmendmentChange{{Item: "pro-mc-01", Action: bank.AmendVoid}}}, by)
		if err != nil {
			t.Fatal(err)
		}
		return write("demo-1.amend", file)
	}
	if code, _, stderr := scorerCmd(t, "answers", "amend", "--data", data, "--trust", authorityPub, amend(signer)); code != 1 || !strings.Contains(stderr, "answer key") {
		t.Errorf("an amendment before its key: %d %s", code, stderr)
	}
	mustRun(t, "answers", "load", "--data", data, "--trust", authorityPub, answers)
	if code, _, _ := scorerCmd(t, "answers", "amend", "--data", data, "--trust", authorityPub, amend(loadSigner(t, strangerKey))); code != 1 {
		t.Error("an amendment by a stranger")
	}
	if out := mustRun(t, "answers", "amend", "--data", data, "--trust", authorityPub, amend(signer)); !strings.Contains(out, "amendment 1 of bank demo-2026 loaded") {
		t.Errorf("answers amend: %s", out)
	}
	if out := mustRun(t, "answers", "amend", "--data", data, "--trust", authorityPub, amend(signer)); !strings.Contains(out, "loaded before") {
		t.Errorf("the same amendment again: %s", out)
	}

	store, err := scorer.OpenSQLite(filepath.Join(data, "scorer.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	entries, _ := store.Audit(context.Background(), 0, 100)
	actions := map[scorer.AuditAction]int{}
	for _, e := range entries {
		actions[e.Action]++
	}
	if actions[scorer.AuditUserAdded] != 2 || actions[scorer.AuditPasswordReset] != 1 || actions[scorer.AuditRules] != 1 || actions[scorer.AuditAmendment] != 1 {
		t.Errorf("audit log: %v", actions)
	}
}

func loadSigner(t *testing.T, path string) ssh.Signer {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssh.ParsePrivateKey(raw)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
