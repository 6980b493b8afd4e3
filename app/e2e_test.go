package app

import (
	"crypto/tls"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"ispit/app/kiosk"
	"ispit/bank"
	"ispit/i18n"
	"ispit/internal/sshsig"
	"ispit/scorer"
)

// e2eBuild builds one of the project's commands (without the race detector: it is a program
// the test runs, not the test) and returns its path.
func e2eBuild(t *testing.T, pkg string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), filepath.Base(pkg))
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = "/usr/local/go/bin/go"
	}
	cmd := exec.Command(goBin, "build", "-o", bin, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building %s: %v\n%s", pkg, err, out)
	}
	return bin
}

// e2eRun runs a command to its end and fails the test unless it succeeds.
func e2eRun(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestEndToEnd: bankctl builds the demo bank, the proctor starts a session and a candidate
// sits the public exam through the kiosk's screens, the sheet goes to the real scorer over
// HTTPS on loopback, and the scorer's result for the candidate is the score the candidate
// earned: 15 of 21 correct, passed.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs bankctl and the scorer")
	}
	bankctl, scorerBin := e2eBuild(t, "ispit/cmd/bankctl"), e2eBuild(t, "ispit/cmd/scorer")
	work := t.TempDir()
	authorityKey := writeDemoKey(t)
	trust, _ := filepath.Abs("../assets/demo/keys/demo-authority.pub")
	startCode := bank.NewStartCode()

	// The authority: the bank, its answer key and the roster.
	bankFile, answers, roster := filepath.Join(work, "exam.bank"), filepath.Join(work, "exam.answers"), filepath.Join(work, "roster.signed")
	e2eRun(t, bankctl, "build", "--key", authorityKey, "--source", "../assets/demo/bank/bank.yaml",
		"--out", bankFile, "--answers", answers, "--start-code", startCode, "--work-factor", "12")
	e2eRun(t, bankctl, "roster", "--key", authorityKey, "../assets/demo/roster.csv", "--out", roster)

	// The scorer: keys, the answer key, an enrolment file for its address.
	scorerData := filepath.Join(work, "scorer")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	e2eRun(t, scorerBin, "keygen", "--data", scorerData, "--host", "127.0.0.1")
	e2eRun(t, scorerBin, "answers", "load", "--data", scorerData, "--trust", trust, answers)
	enrolment := filepath.Join(work, "enrolment.json")
	e2eRun(t, scorerBin, "enrolment", "--data", scorerData, "--url", "https://"+addr, "--out", enrolment)

	// The terminal, prepared by its administrator and registered with the scorer.
	q := useQueue(t)
	files := e2eFiles{bank: bankFile, roster: roster, enrolment: enrolment, trust: trust, scorer: scorerBin, scorerData: scorerData}
	k := e2eTerminal(t, files, filepath.Join(work, "kiosk"), "E2E-01")

	serve := exec.Command(scorerBin, "serve", "--data", scorerData, "--addr", addr)
	serve.Stdout, serve.Stderr = os.Stderr, os.Stderr
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { serve.Process.Kill(); serve.Wait() })
	health := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}, Timeout: time.Second}
	for deadline := time.Now().Add(10 * time.Second); ; {
		if res, err := health.Get("https://" + addr + "/healthz"); err == nil && res.StatusCode == http.StatusOK {
			res.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the scorer did not come up")
		}
		time.Sleep(50 * time.Millisecond)
	}

	// The proctor unlocks the kiosk and starts the session of the public exam.
	loc := strictLocalizer(t, "en")
	u := e2eStartSession(t, k, loc, startCode)

	// The candidate signs in and answers: the first 15 questions right, the other 6 wrong.
	a := signIn(t, u, "DEMO-0001", "English")
	keyData, _ := os.ReadFile(answers)
	authority, _ := sshsig.ParseTrust(mustRead(t, trust))
	key, _, err := bank.ReadAnswerKey(keyData, authority, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	correct := map[string]string{}
	for _, it := range key.Items {
		correct[it.ID] = it.Correct
	}
	for i := range a.Len() {
		if a.Current() != i {
			t.Fatalf("on question %d, want %d", a.Current()+1, i+1)
		}
		view, _ := a.Item(i)
		pick := -1
		for n, o := range view.Options {
			if right := o.ID == correct[view.Item.ID]; right == (i < 15) {
				pick = n
				break
			}
		}
		typeRunes(u, string(rune('1'+pick)))
		if got, _ := a.Item(i); got.Chosen != view.Options[pick].ID {
			t.Fatalf("question %d: key %d chose %q", i+1, pick+1, got.Chosen)
		}
		typeKey(u, fyne.KeyRight)
	}
	tap(t, u, loc.T("candidate.review.open", nil))
	wantShown(t, u, loc.T("candidate.review.all_answered", nil))
	tap(t, u, loc.T("candidate.submit.button", nil))
	tap(t, u, loc.T("candidate.submit.yes", nil))

	// The receipt comes back from the scorer and is shown.
	var receipt string
	q.until(t, "the scorer's receipt on the screen", func() bool {
		entries, _ := k.Engine.Outbox()
		if len(entries) == 1 && entries[0].Delivered() {
			receipt = entries[0].ReceiptCode
		}
		return receipt != "" && strings.Contains(screen(u), receipt)
	})
	wantShown(t, u, loc.T("candidate.receipt.delivered", nil))

	// The scorer's result for the candidate.
	var report scorer.Report
	if err := json.Unmarshal([]byte(e2eRun(t, scorerBin, "results", "--data", scorerData, "--format", "json")), &report); err != nil {
		t.Fatal(err)
	}
	r, ok := report.Results.Candidate("DEMO-0001")
	if !ok || len(r.Parts) != 1 {
		t.Fatalf("the scorer's results: %+v", report.Results)
	}
	if p := r.Parts[0]; p.Part != "public" || p.Correct != 15 || !p.Passed || p.SheetID != a.ID() {
		t.Fatalf("the scorer scored %+v; want 15 correct, passed, sheet %s", p, a.ID())
	}
	if out := e2eRun(t, scorerBin, "receipt", "--data", scorerData, receipt); !strings.Contains(out, a.ID()) {
		t.Fatalf("scorer receipt %s:\n%s", receipt, out)
	}

	// On a second terminal of the room the same candidate cannot sign in again: the scorer
	// knows from the first terminal's progress that they sat the public exam there.
	k2 := e2eTerminal(t, files, filepath.Join(work, "kiosk-2"), "E2E-02")
	u2 := e2eStartSession(t, k2, loc, startCode)
	entry := entries(u2.Win.Content())[0]
	test.Type(entry, "DEMO-0001")
	entry.OnSubmitted(entry.Text)
	tap(t, u2, loc.T("candidate.signin.details_correct", nil))
	wantShown(t, u2, loc.T("candidate.signin.already_attempted", map[string]any{"Terminal": "E2E-01", "State": loc.T("state.submitted", nil)}))
	if n := len(u2.session.Attempts()); n != 0 {
		t.Fatalf("the second terminal admitted %d attempts", n)
	}
}

// e2eFiles are what the authority and the scorer give a terminal's administrator.
type e2eFiles struct {
	bank, roster, enrolment, trust string
	scorer, scorerData             string // the scorer program and its data folder, to register terminals
}

// e2eTerminal prepares a kiosk in dir with the bank, the roster and the enrolment, and
// registers it with the scorer as id.
func e2eTerminal(t *testing.T, f e2eFiles, dir, id string) *kiosk.Kiosk {
	t.Helper()
	k, err := kiosk.Open(kiosk.Config{DataDir: dir, TerminalID: id, Trust: f.trust})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Close() })
	setPINs(t, k)
	if _, err := k.LoadBank(f.bank); err != nil {
		t.Fatal(err)
	}
	if _, err := k.LoadRoster(f.roster); err != nil {
		t.Fatal(err)
	}
	if err := k.Enrol(mustRead(t, f.enrolment)); err != nil {
		t.Fatal(err)
	}
	e2eRun(t, f.scorer, "terminal", "add", "--data", f.scorerData, "--id", id, "--key", k.PublicKeyFile())
	return k
}

// e2eStartSession has the proctor unlock the kiosk, start the session of the demo bank's public
// exam with the start code, and hand the terminal to the candidates.
func e2eStartSession(t *testing.T, k *kiosk.Kiosk, loc *i18n.Localizer, startCode string) *UI {
	t.Helper()
	u, _ := newTestUI(t, k, loc)
	test.Tap(button(t, u, loc.T("proctor.title", nil)))
	pin, _ := overlayPIN(t, u)
	submit(u, pin, "246810")
	test.Tap(button(t, u, "Demonstration exam"))
	for _, o := range test.LaidOutObjects(u.Win.Content()) {
		if r, ok := o.(*widget.RadioGroup); ok {
			r.SetSelected("Public exam")
		}
	}
	code := entryWithPlaceholder(t, u.Win.Content(), "XXXX-XXXX-XXXX-XXXXX")
	code.SetText(startCode)
	test.Tap(button(t, u, loc.T("proctor.session.start", nil)))
	if u.session == nil || u.part != "public" {
		t.Fatalf("no session of the public exam:\n%s", screenText(u))
	}
	test.Tap(button(t, u, loc.T("proctor.session.to_candidates", nil)))
	return u
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
