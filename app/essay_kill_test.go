package app

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"ispit/app/kiosk"
	"ispit/exam"
)

// essayKillChild is set in the environment of the child process TestEssayEditsSurviveKill
// starts.
const essayKillChild = "ISPIT_ESSAY_KILL_CHILD"

// essayKillReport is what the child reports once its edits are saved: where its kiosk keeps
// its data, the attempt, and the text.
type essayKillReport struct {
	DataDir, Attempt, Text string
}

// TestEssayEditsSurviveKill edits an answer across paragraphs in a child process — a
// selection across three paragraphs cut and pasted elsewhere, a split undone, a join redone
// — which the test kills with SIGKILL as soon as the screen says "Saved". The kiosk started
// again resumes the attempt with the paragraphs as they were, and the candidate goes on
// editing them.
func TestEssayEditsSurviveKill(t *testing.T) {
	if os.Getenv(essayKillChild) != "" {
		essayKillEdits(t)
		return
	}
	tmp := t.TempDir()
	child := exec.Command(os.Args[0], "-test.run=^TestEssayEditsSurviveKill$")
	// The child's temporary folders, left behind by the kill, are inside the test's.
	child.Env = append(os.Environ(), essayKillChild+"=1", "TMPDIR="+tmp)
	child.Stderr = os.Stderr
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer child.Wait()
	defer child.Process.Kill()
	reports := make(chan essayKillReport, 1)
	go func() {
		lines := bufio.NewScanner(out)
		for lines.Scan() {
			if line, ok := strings.CutPrefix(lines.Text(), "essay-saved "); ok {
				var r essayKillReport
				if json.Unmarshal([]byte(line), &r) == nil {
					reports <- r
					return
				}
			}
		}
		close(reports)
	}()
	var saved essayKillReport
	select {
	case r, ok := <-reports:
		if !ok {
			t.Fatal("the child ended without saving its edits")
		}
		saved = r
	case <-time.After(2 * time.Minute):
		t.Fatal("the child did not save its edits in two minutes")
	}
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	child.Wait()

	trust, err := filepath.Abs("../assets/demo/keys/demo-authority.pub")
	if err != nil {
		t.Fatal(err)
	}
	k, err := kiosk.Open(kiosk.Config{DataDir: saved.DataDir, TerminalID: "T-01", Trust: trust})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Close() })
	s, err := k.Resume()
	if err != nil || s == nil {
		t.Fatalf("resuming the session: %v", err)
	}
	a, ok := s.Attempt(saved.Attempt)
	if !ok {
		t.Fatal("the attempt is not resumed")
	}
	if v, _ := a.Item(0); v.Text != saved.Text {
		t.Fatalf("after the kill the engine holds %q, the screen said %q was saved", v.Text, saved.Text)
	}
	q := useQueue(t)
	loc := strictLocalizer(t, "sr-Cyrl")
	u := candidateUI(t, k, s, loc, "professional-written")
	if st, _ := a.State(); st == exam.StatePaused {
		tap(t, u, loc.T("proctor.attempt.resume", nil))
		entry, _ := overlayPIN(t, u)
		submit(u, entry, "246810")
	} else {
		u.showAttempt(a)
	}
	f := &essayFixture{t: t, u: u, a: a, q: q, loc: loc}
	if got := strings.Join(f.paragraphs(), "\n"); got != saved.Text || len(f.paragraphs()) != 5 {
		t.Fatalf("after the kill the editor shows the paragraphs %q", f.paragraphs())
	}
	u.Win.Canvas().Focus(f.editor())
	f.shortcut(&fyne.ShortcutSelectAll{})
	f.typeText("Novo")
	f.want([]string{"Novo"}, 0, 4)
	f.shortcut(&fyne.ShortcutUndo{})
	f.wantState("^" + saved.Text + "|")
}

// essayKillEdits is the child of TestEssayEditsSurviveKill: it edits, waits for "Saved",
// reports, and waits to be killed.
func essayKillEdits(t *testing.T) {
	f := newEssayFixtureIn(t, "sr-Cyrl")
	f.typeText("Prvi pasus.\nDrugi pasus.\nTreći pasus.\nČetvrti pasus.")
	f.shortcut(ctrl(fyne.KeyHome))
	f.shortcut(ctrl(fyne.KeyRight))
	for range 4 { // "Prvi| pasus.\nDrugi pasus.\nTreći|"
		f.shortcut(ctrlShift(fyne.KeyRight))
		f.shortcut(ctrlShift(fyne.KeyRight))
	}
	clip := &clipboard{}
	f.shortcut(&fyne.ShortcutCut{Clipboard: clip})
	f.wantState("Prvi| pasus.\nČetvrti pasus.")
	f.shortcut(ctrl(fyne.KeyEnd))
	f.press(fyne.KeyReturn)
	f.shortcut(&fyne.ShortcutPaste{Clipboard: clip})
	f.wantState("Prvi pasus.\nČetvrti pasus.\n pasus.\nDrugi pasus.\nTreći|")
	f.press(fyne.KeyHome, fyne.KeyBackspace) // a join
	f.shortcut(&fyne.ShortcutUndo{})
	f.shortcut(&fyne.ShortcutRedo{})
	f.press(fyne.KeyReturn) // a split
	f.shortcut(&fyne.ShortcutUndo{})
	f.wantState("Prvi pasus.\nČetvrti pasus.\n pasus.\nDrugi pasus.|Treći")
	f.press(fyne.KeyBackspace, fyne.KeyReturn)
	f.wantState("Prvi pasus.\nČetvrti pasus.\n pasus.\nDrugi pasus\n|Treći")

	f.q.until(t, "the edits to be saved", func() bool {
		return strings.Contains(screen(f.u), f.loc.T("candidate.save.saved", nil))
	})
	v, err := f.a.Item(0)
	if err != nil || !v.Saved || v.Text != f.editor().Text() {
		t.Fatalf("the screen says saved, the engine holds %q (saved %v, %v)", v.Text, v.Saved, err)
	}
	dataDir := filepath.Dir(f.u.K.PublicKeyFile()) // the terminal's key is in the data folder
	report, _ := json.Marshal(essayKillReport{DataDir: dataDir, Attempt: f.a.ID(), Text: v.Text})
	os.Stdout.WriteString("essay-saved " + string(report) + "\n")
	time.Sleep(time.Hour) // until the kill
}
