package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ispit/assets"
	"ispit/bank"
	"ispit/bank/source"
	"ispit/exam"
	"ispit/internal/sshsig"
	"ispit/scorer"
	"ispit/sheet"
)

// scorerCmd runs the command in-process and returns its exit status and output.
func scorerCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := program.Run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, stdout, stderr := scorerCmd(t, args...)
	if code != 0 {
		t.Fatalf("scorer %s: exit %d: %s", strings.Join(args, " "), code, stderr)
	}
	return stdout
}

// TestOperatorFlow runs the scorer's commands as an operator would: keys, enrolment, a
// terminal, sheets imported from a USB stick, the answer key, grades, interviews, results and
// an appeal look-up.
func TestOperatorFlow(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "scorer")
	mustRun(t, "keygen", "--data", data)
	if code, _, stderr := scorerCmd(t, "keygen", "--data", data); code != 1 || !strings.Contains(stderr, "never overwritten") {
		t.Fatalf("second keygen: %d %s", code, stderr)
	}
	info, _ := os.Stat(filepath.Join(data, "keys", "sheet.key"))
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("sheet.key mode %v", info.Mode())
	}
	enrolFile := filepath.Join(dir, "enrolment.json")
	mustRun(t, "enrolment", "--data", data, "--url", "https://127.0.0.1:8443", "--out", enrolFile)
	raw, _ := os.ReadFile(enrolFile)
	if _, err := sheet.ParseEnrolment(raw); err != nil {
		t.Fatalf("enrolment file: %v", err)
	}

	// The terminal makes its key; the administrator enrols it.
	termDir := filepath.Join(dir, "terminal")
	terminal, _, err := sheet.EnsureTerminalKey(termDir)
	if err != nil {
		t.Fatal(err)
	}
	pub := filepath.Join(termDir, "terminal.pub")
	mustRun(t, "terminal", "add", "--data", data, "--id", "T-07", "--key", pub)
	mustRun(t, "terminal", "add", "--data", data, "--id", "T-07", "--key", pub)
	otherDir := filepath.Join(dir, "other")
	if _, _, err := sheet.EnsureTerminalKey(otherDir); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := scorerCmd(t, "terminal", "add", "--data", data, "--id", "T-07", "--key", filepath.Join(otherDir, "terminal.pub")); code != 1 || !strings.Contains(stderr, "another key") {
		t.Fatalf("re-enrolling with another key: %d %s", code, stderr)
	}

	// A bank, and an exam sat on the terminal while the network is down.
	authorityKey, authorityPub := filepath.Join(dir, "authority.key"), filepath.Join(dir, "authority.pub")
	if err := sshsig.WriteKeyPair(authorityKey, authorityPub, "authority"); err != nil {
		t.Fatal(err)
	}
	authority, _ := sshsig.LoadSigner(authorityKey, nil)
	def, err := source.LoadFS(assets.DemoBankSource(), "bank.yaml")
	if err != nil {
		t.Fatal(err)
	}
	built, err := bank.Build(def, bank.BuildOptions{Signer: authority, WorkFactor: 1})
	if err != nil {
		t.Fatal(err)
	}
	answersFile := filepath.Join(dir, "demo.answers")
	os.WriteFile(answersFile, built.Answers, 0o600)
	pubData, _ := os.ReadFile(authorityPub)
	trust, _ := sshsig.ParseTrust(pubData)
	key, _, _ := bank.ReadAnswerKey(built.Answers, trust, time.Now())
	v, _ := bank.Verify(built.Bank, trust, time.Now())
	b, err := v.Open(built.StartCode)
	if err != nil {
		t.Fatal(err)
	}
	signedRoster, _ := bank.SignRoster(assets.DemoRosterCSV(), authority)
	roster, _ := bank.ReadRoster(signedRoster, trust, time.Now())
	keys, err := scorer.LoadKeys(filepath.Join(data, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	engine, err := exam.Open(filepath.Join(dir, "kiosk.db"), exam.Options{
		TerminalID: "T-07", Secret: []byte("kiosk secret for the scorer test"),
		Sealer: &sheet.Sealer{Terminal: terminal, Scorer: keys.SheetRecipient},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer engine.Close()
	session, err := engine.StartSession(b, roster, "professional-written", "proctor", built.StartCode)
	if err != nil {
		t.Fatal(err)
	}
	sitPublic(t, session, key, "DEMO-0003", 18) // Драгана Петровић, DEMO-14/2026
	sitPublic(t, session, key, "DEMO-0006", 12)
	written, err := session.Admit("DEMO-0003", "professional-written")
	if err != nil {
		t.Fatal(err)
	}
	written.Begin("sr-Cyrl")
	written.SetText("pro-wr-01", "Решење: захтев се делимично усваја.")
	written.SetText("pro-wr-02", "План запошљавања.")
	if _, err := written.Submit(); err != nil {
		t.Fatal(err)
	}
	stick := filepath.Join(dir, "usb")
	os.MkdirAll(stick, 0o755)
	if n, err := sheet.ExportUndelivered(engine, stick); err != nil || n != 3 {
		t.Fatalf("export: %d, %v", n, err)
	}
	os.WriteFile(filepath.Join(stick, "junk.sheet"), []byte("not a sheet"), 0o644)
	// The code the kiosk showed the candidate of the first sheet, which never reached the
	// scorer by the network: not found until the stick is imported, found after.
	out, _ := engine.Outbox()
	shown := sheet.SealedReceiptCode(out[0].Sealed)
	if code, _, stderr := scorerCmd(t, "receipt", "--data", data, shown); code != 1 || !strings.Contains(stderr, "no sheet with receipt code "+shown+" has arrived") {
		t.Fatalf("receipt before the import: %d %s", code, stderr)
	}

	code, stdout, _ := scorerCmd(t, "import", "--data", data, stick)
	if code != 1 || !strings.Contains(stdout, "imported 3 new sheets, 0 already received, 1 refused") || !strings.Contains(stdout, "refused junk.sheet") {
		t.Fatalf("import: %d %s", code, stdout)
	}
	os.Remove(filepath.Join(stick, "junk.sheet"))
	if out := mustRun(t, "import", "--data", data, stick); !strings.Contains(out, "imported 0 new sheets, 3 already received") {
		t.Fatalf("second import: %s", out)
	}

	// Results before and after the answer key.
	var report scorer.Report
	json.Unmarshal([]byte(mustRun(t, "results", "--data", data, "--format", "json")), &report)
	if len(report.Held) != 3 {
		t.Fatalf("held before the key: %d", len(report.Held))
	}
	if code, _, stderr := scorerCmd(t, "answers", "load", "--data", data, "--trust", filepath.Join(otherDir, "terminal.pub"), answersFile); code != 1 || !strings.Contains(stderr, "not trusted") {
		t.Fatalf("answer key with the wrong trust: %d %s", code, stderr)
	}
	mustRun(t, "answers", "load", "--data", data, "--trust", authorityPub, answersFile)

	mustRun(t, "grade", "--data", data, "--sheet", written.ID(), "--item", "pro-wr-01", "--grader", "Commission A", "--points", "45")
	mustRun(t, "grade", "--data", data, "--sheet", written.ID(), "--item", "pro-wr-02", "--grader", "Commission A", "--points", "38")
	if code, _, stderr := scorerCmd(t, "grade", "--data", data, "--sheet", written.ID(), "--item", "pro-wr-02", "--grader", "B", "--points", "51"); code != 1 {
		t.Fatalf("grade above the maximum: %d %s", code, stderr)
	}
	mustRun(t, "interview", "--data", data, "--candidate", "demo-0003", "--position", "DEMO-14/2026", "--points", "25", "--by", "Commission")
	if code, _, _ := scorerCmd(t, "interview", "--data", data, "--candidate", "DEMO-0006", "--position", "DEMO-14/2026", "--points", "31", "--by", "C"); code != 1 {
		t.Fatal("interview points above 30 accepted")
	}

	csvOut := mustRun(t, "results", "--data", data)
	if !strings.HasPrefix(csvOut, "\ufeff") || !strings.Contains(csvOut, "Драгана Петровић") {
		t.Fatalf("results CSV:\n%s", csvOut)
	}
	report = scorer.Report{}
	json.Unmarshal([]byte(mustRun(t, "results", "--data", data, "--format", "json")), &report)
	c, ok := report.Results.Candidate("DEMO-0003")
	if !ok || c.ProfessionalPoints != 83 || c.InterviewPoints != 25 || c.Total != 108 || c.Outcome != scorer.OutcomeSuccessful {
		t.Fatalf("DEMO-0003: %+v", c)
	}
	ranking := mustRun(t, "results", "--data", data, "--ranking")
	if !strings.Contains(ranking, "Драгана Петровић") {
		t.Fatalf("ranking:\n%s", ranking)
	}

	// An appeal by the receipt code the kiosk showed for the first sheet, typed as a person may.
	appealJSON := mustRun(t, "receipt", "--data", data, strings.ToLower(shown))
	var appeal scorer.Appeal
	if err := json.Unmarshal([]byte(appealJSON), &appeal); err != nil || appeal.Sheet == nil || appeal.Score == nil || appeal.ReceiptCode != shown || appeal.SheetID != out[0].SheetID {
		t.Fatalf("appeal: %v %s", err, appealJSON)
	}
	if code, _, stderr := scorerCmd(t, "receipt", "--data", data, "ZZZZZ-ZZZZZ"); code != 1 || !strings.Contains(stderr, "no sheet with receipt code ZZZZZ-ZZZZZ has arrived") {
		t.Fatalf("unknown receipt: %d %s", code, stderr)
	}
}

func sitPublic(t *testing.T, s *exam.Session, key *bank.AnswerKey, code string, correct int) {
	t.Helper()
	a, err := s.Admit(code, "public")
	if err != nil {
		t.Fatal(err)
	}
	a.Begin("bs")
	for i := range a.Len() {
		v, _ := a.Item(i)
		k, _ := key.Item(v.Item.ID)
		choice := k.Correct
		if i >= correct {
			for _, o := range v.Options {
				if o.ID != k.Correct {
					choice = o.ID
					break
				}
			}
		}
		if err := a.Choose(v.Item.ID, choice); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.Submit(); err != nil {
		t.Fatal(err)
	}
}

func TestServeRefusesPlainHTTPOffLoopback(t *testing.T) {
	data := t.TempDir()
	mustRun(t, "keygen", "--data", data)
	for _, args := range [][]string{{"--addr", "0.0.0.0:0"}, {"--addr", "127.0.0.1:0", "--console-addr", "0.0.0.0:0"}} {
		code, _, stderr := scorerCmd(t, append([]string{"serve", "--data", data, "--insecure-http"}, args...)...)
		if code != 1 || !strings.Contains(stderr, "only allowed on loopback addresses") {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
	}
}

func TestHelp(t *testing.T) {
	for name := range program.Commands {
		args := append(strings.Fields(name), "--help")
		code, stdout, _ := scorerCmd(t, args...)
		if code != 0 || !strings.HasPrefix(stdout, "usage: scorer "+name) {
			t.Errorf("%s --help: %d %q", name, code, stdout)
		}
	}
}
