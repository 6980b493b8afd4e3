package app

import (
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"ispit/app/kiosk"
	"ispit/i18n"
	"ispit/internal/sqlitedb"
	"ispit/internal/sqlitetest"
)

// TestDamagedTerminalScreen damages the exam database of a kiosk as a disk does, before it
// starts or found as it resumes the session, and looks at the screen in the terminal's
// language: the catalogue's words for what happened and what the candidate and the proctor do,
// where the database is kept, and SQLite's own words only in the small print; the languages at
// the top switch it; closing needs no PIN (the PINs are in the damaged database).
func TestDamagedTerminalScreen(t *testing.T) {
	for _, tt := range []struct {
		name, lang, other string
		open              func(t *testing.T, loc *i18n.Localizer) *UI
	}{
		{"found on opening", "sr-Cyrl", "sq", func(t *testing.T, loc *i18n.Localizer) *UI {
			k, cfg, _ := examKiosk(t)
			k.Close()
			sqlitetest.DamagePage(t, filepath.Join(cfg.DataDir, "exam.db"), "pins")
			_, err := kiosk.Open(cfg)
			if err == nil {
				t.Fatal("the kiosk opened a damaged database")
			}
			return NewError(test.NewTempApp(t), loc, err)
		}},
		{"found while resuming", "sq", "sr-Cyrl", func(t *testing.T, loc *i18n.Localizer) *UI {
			k, cfg, code := examKiosk(t)
			s := startSession(t, k, code)
			admitted(t, s, "DEMO-0001", "public", "sq")
			k.Close()
			db, err := sqlitedb.Open(filepath.Join(cfg.DataDir, "exam.db"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(`UPDATE attempts SET used_ms = 'a great deal'`); err != nil {
				t.Fatal(err)
			}
			db.Close()
			k2, err := kiosk.Open(cfg)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { k2.Close() })
			u := New(test.NewTempApp(t), k2, loc)
			if u.K != nil {
				t.Fatal("the UI still holds the closed kiosk")
			}
			return u
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			loc := strictLocalizer(t, tt.lang)
			u := tt.open(t, loc)
			u.Win.Resize(fyne.NewSize(1024, 768))
			quit := false
			u.quit = func() { quit = true }
			wantDamagedScreen(t, u, tt.lang)

			for _, l := range i18n.Languages() {
				if l.Tag == tt.other {
					tap(t, u, l.Name)
				}
			}
			wantDamagedScreen(t, u, tt.other)

			u.RequestClose()
			if !quit {
				t.Fatal("closing the damaged terminal's screen asked for more")
			}
		})
	}
}

// wantDamagedScreen fails unless the window shows the damaged terminal's screen in lang, with
// the database kept in the damaged folder and SQLite's words in small print only.
func wantDamagedScreen(t *testing.T, u *UI, lang string) {
	t.Helper()
	loc, err := i18n.New(lang)
	if err != nil {
		t.Fatal(err)
	}
	var headline string
	var details *widget.Label
	walkVisible(u, func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.RichText:
			if headline == "" {
				headline = w.String()
			}
		case *widget.Label:
			if strings.HasPrefix(w.Text, loc.T("damaged.details", map[string]any{"Detail": ""})) {
				details = w
			}
		}
	})
	if headline != loc.T("damaged.title", nil) {
		t.Fatalf("the headline is %q, want %q", headline, loc.T("damaged.title", nil))
	}
	wantShown(t, u, loc.T("damaged.what", nil), loc.T("damaged.candidate", nil),
		loc.T("damaged.proctor", nil), loc.T("damaged.kept", nil), string(filepath.Separator)+kiosk.DamagedDir+string(filepath.Separator)+"exam-")
	if details == nil || details.SizeName != theme.SizeNameCaptionText {
		t.Fatalf("no technical details in small print:\n%s", screen(u))
	}
	sqlite := strings.TrimPrefix(details.Text, loc.T("damaged.details", map[string]any{"Detail": ""}))
	if sqlite == "" {
		t.Fatal("the technical details are empty")
	}
	for _, text := range shown(u) {
		if text != details.Text && strings.Contains(text, sqlite) {
			t.Errorf("SQLite's words outside the technical details: %q", text)
		}
	}
	if strings.Contains(screen(u), loc.T("error.tell_proctor", nil)) {
		t.Error("the screen shows the general error's words")
	}
}
