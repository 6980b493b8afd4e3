package app

import (
	"fmt"
	"os"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// TestAdministratorScreenshots renders the administrator's screens to PNG files for a person
// to look at, when ISPIT_SHOTS names a folder:
//
//	ISPIT_SHOTS=/tmp/shots go test ./app -run TestAdministratorScreenshots
func TestAdministratorScreenshots(t *testing.T) {
	dir := os.Getenv("ISPIT_SHOTS")
	if dir == "" {
		t.Skip("set ISPIT_SHOTS to a folder to render the screens")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	stick := newAdminStick(t)
	for _, lang := range []string{"sr-Cyrl", "sq"} {
		for _, size := range []fyne.Size{{Width: 1024, Height: 768}, {Width: 1920, Height: 1080}} {
			k, _, _ := examKiosk(t)
			u, a, loc := openAdmin(t, k, lang, stick.dir)
			a.loadRosterFile(stick.roster)
			a.loadBankFile(stick.untrustedBank)
			shot := func(name string, s fyne.Size) {
				u.Win.Resize(s)
				saveScreen(t, u, dir, fmt.Sprintf("admin-%s-%s-%.0fx%.0f", lang, name, size.Width, size.Height))
			}
			shot("top", size)
			tall := u.Win.Content().(*fyne.Container).Objects[0].(*container.Scroll).Content.MinSize()
			shot("whole", fyne.NewSize(size.Width, tall.Height+2*theme.Padding()))
			u.Win.Resize(size)
			test.Tap(button(t, u, loc.T("admin.bank.load", nil)))
			shot("bank-dialog", size)
			u.Win.Canvas().Overlays().Top().Hide()
			test.Tap(button(t, u, loc.T("admin.banks.remove", nil)))
			shot("remove", size)
		}
	}
}
