package app

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"ispit/exam"
	"ispit/scorer"
)

// TestHandoverScreenshots renders the screens of an attempt that moves to a spare terminal to
// PNG files for a person to look at, when ISPIT_SHOTS names a folder:
//
//	ISPIT_SHOTS=/tmp/shots go test ./app -run TestHandoverScreenshots
func TestHandoverScreenshots(t *testing.T) {
	dir := os.Getenv("ISPIT_SHOTS")
	if dir == "" {
		t.Skip("set ISPIT_SHOTS to a folder to render the screens")
	}
	q := useQueue(t)
	for _, lang := range []string{"sr-Cyrl", "sq"} {
		room := newExamRoom(t)
		kA, _ := room.kiosk("T-07")
		kB, _ := room.kiosk("T-SPARE")
		sA, sB := startSession(t, kA, room.startCode), startSession(t, kB, room.startCode)
		loc := strictLocalizer(t, lang)
		shot := func(u *UI, name string) {
			u.Win.Resize(fyne.NewSize(1024, 768))
			saveScreen(t, u, dir, fmt.Sprintf("handover-%s-%s", lang, name))
		}
		uA := candidateUI(t, kA, sA, strictLocalizer(t, lang), "public")
		a := admitted(t, sA, "DEMO-0001", "public", lang)
		for i := range 7 {
			v, _ := a.Item(i)
			a.Choose(v.Item.ID, v.Options[0].ID)
		}
		a.Visit(7)
		room.scorerHas("A's checkpoint", a.ID(), func(*scorer.AttemptRecord) bool { return true })
		room.clock.Advance(12 * time.Second)

		uB := candidateUI(t, kB, sB, loc, "public")
		uB.showSession()
		shot(uB, "spare-session")
		askForCandidate(t, uB, "DEMO-0001")
		shot(uB, "still-alive")
		room.clock.Advance(time.Minute)
		tap(t, uB, loc.T("proctor.handover.ask", nil))
		shot(uB, "confirm")
		tap(t, uB, loc.T("proctor.handover.continue", nil))
		shot(uB, "continued")

		q.until(t, "A learns of the move", func() bool { st, _ := a.State(); return st == exam.StateMoved })
		uA.showAttempt(a)
		shot(uA, "old-terminal-moved")

		b := admitted(t, sA, "DEMO-0002", "public", lang)
		uA.showSession()
		test.Type(entries(uA.Win.Content())[0], "the scorer cannot be reached")
		tap(t, uA, loc.T("proctor.export.button", nil))
		shot(uA, "export-confirm")
		uA.Win.Canvas().Overlays().Top().Hide()
		uA.exportAttemptTo(b, t.TempDir(), "the scorer cannot be reached")
		shot(uA, "exported")
		uA.showAttempt(b)
		shot(uA, "old-terminal-exported")

		// Terminal A's data folder, to start the kiosk itself on: it opens on the moved screen.
		kA.Close()
		copyTo := filepath.Join(dir, "kiosk-T-07-"+lang)
		os.RemoveAll(copyTo)
		if err := os.CopyFS(copyTo, os.DirFS(filepath.Join(room.dir, "T-07"))); err != nil {
			t.Fatal(err)
		}
		cfg := demoConfig(t, copyTo)
		cfg.TerminalID = "T-07"
		data, _ := json.Marshal(cfg)
		os.WriteFile(copyTo+".json", data, 0o644)
	}
}
