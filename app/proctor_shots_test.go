package app

import (
	"fmt"
	"os"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"ispit/app/kiosk"
)

// TestProctorScreenshots renders the proctor's screens to PNG files for a person to look at,
// when ISPIT_SHOTS names a folder:
//
//	ISPIT_SHOTS=/tmp/shots go test ./app -run TestProctorScreenshots
func TestProctorScreenshots(t *testing.T) {
	dir := os.Getenv("ISPIT_SHOTS")
	if dir == "" {
		t.Skip("set ISPIT_SHOTS to a folder to render the screens")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	useQueue(t)
	for _, lang := range []string{"sr-Cyrl", "sq"} {
		for _, size := range []fyne.Size{{Width: 1024, Height: 768}, {Width: 1920, Height: 1080}} {
			k, _, startCode := examKiosk(t)
			loc := strictLocalizer(t, lang)
			u, _ := newTestUI(t, k, loc)
			shot := func(name string) {
				u.Win.Resize(size)
				saveScreen(t, u, dir, fmt.Sprintf("proctor-%s-%s-%.0fx%.0f", lang, name, size.Width, size.Height))
			}
			shot("terminal")
			u.showProctor()
			shot("banks")
			test.Tap(button(t, u, u.title(mustBank(t, k).Manifest.Title)))
			entryWithPlaceholder(t, u.Win.Content(), "XXXX-XXXX-XXXX-XXXXX").SetText(startCode[:9])
			shot("start-code")
			startDemoSession(t, u, startCode)
			u.showSessionNotice(loc.T("proctor.session.started", nil))
			shot("session")
			a, err := u.session.Admit("DEMO-0001", "public")
			if err != nil {
				t.Fatal(err)
			}
			a.Begin("bs")
			u.showSession()
			shot("attempt")
			test.Tap(button(t, u, loc.T("proctor.session.end", nil)))
			shot("end")
			u.Win.Canvas().Overlays().Top().Hide()
			kiosk.CurrentAttempt(u.session).Submit()
			u.showOutbox("")
			shot("outbox")
		}
	}
}

func mustBank(t *testing.T, k *kiosk.Kiosk) kiosk.BankEntry {
	t.Helper()
	banks, err := k.Banks()
	if err != nil || len(banks) == 0 {
		t.Fatalf("banks %v, %v", banks, err)
	}
	return banks[0]
}
