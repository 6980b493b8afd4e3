package app

import (
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"ispit/app/kiosk"
	"ispit/exam"
	"ispit/i18n"
)

// openKiosk opens a kiosk on a fresh data folder that trusts the demo authority.
func openKiosk(tb testing.TB) (*kiosk.Kiosk, string) {
	tb.Helper()
	dir := tb.TempDir()
	k, err := kiosk.Open(demoConfig(tb, dir))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { k.Close() })
	return k, dir
}

// demoConfig is the configuration of the test kiosk with the data folder dir: terminal T-01,
// trusting the demo authority.
func demoConfig(tb testing.TB, dir string) kiosk.Config {
	tb.Helper()
	trust, err := filepath.Abs("../assets/demo/keys/demo-authority.pub")
	if err != nil {
		tb.Fatal(err)
	}
	return kiosk.Config{DataDir: dir, TerminalID: "T-01", Trust: trust}
}

// strictLocalizer fails the test on any untranslated or unknown message.
func strictLocalizer(t *testing.T, lang string) *i18n.Localizer {
	t.Helper()
	loc, err := i18n.New(lang)
	if err != nil {
		t.Fatal(err)
	}
	loc.OnProblem(func(p i18n.Problem) { t.Errorf("%s", p) })
	return loc
}

// newTestUI is a UI on the test driver whose PIN checks run inline and whose quitting is
// recorded instead of done.
func newTestUI(t *testing.T, k *kiosk.Kiosk, loc *i18n.Localizer) (*UI, *bool) {
	t.Helper()
	a := test.NewTempApp(t)
	u := New(a, k, loc)
	u.background = func(work, done func()) { work(); done() }
	quit := new(bool)
	u.quit = func() { *quit = true }
	u.Win.Resize(fyne.NewSize(1024, 768))
	return u, quit
}

// texts collects the text of every label, button, check, radio option and rich text under o.
func texts(o fyne.CanvasObject) []string {
	var out []string
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.Button:
			out = append(out, w.Text)
		case *keyButton:
			out = append(out, w.Text)
		case *widget.Check:
			out = append(out, w.Text)
		case *widget.RadioGroup:
			out = append(out, w.Options...)
		case *widget.RichText:
			out = append(out, strings.ReplaceAll(w.String(), zeroWidthSpace, "")) // what a reader sees
		}
		switch c := o.(type) {
		case *fyne.Container:
			for _, child := range c.Objects {
				walk(child)
			}
		case fyne.Widget:
			for _, child := range test.WidgetRenderer(c).Objects() {
				walk(child)
			}
		}
	}
	walk(o)
	return out
}

var messageID = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)+$`)

func TestTerminalScreenIsTranslated(t *testing.T) {
	for _, lang := range []string{"sr-Cyrl", "sq", "en"} {
		t.Run(lang, func(t *testing.T) {
			k, _ := openKiosk(t)
			setPINs(t, k)
			loc := strictLocalizer(t, lang)
			u, _ := newTestUI(t, k, loc)
			got := texts(u.Win.Content())
			all := strings.Join(got, "\n")
			for _, want := range []string{k.Fingerprint(), loc.T("admin.title", nil), loc.T("proctor.title", nil),
				loc.T("common.terminal", map[string]any{"Terminal": "T-01"}), loc.T("admin.enrol.intro", nil),
				loc.T("admin.banks.empty", nil), loc.T("admin.roster.none", nil), loc.T("a11y.high_contrast", nil)} {
				if !strings.Contains(all, want) {
					t.Errorf("the terminal screen lacks %q; it shows:\n%s", want, all)
				}
			}
			for _, s := range got {
				if messageID.MatchString(strings.TrimSpace(s)) {
					t.Errorf("the terminal screen shows a raw message id %q", s)
				}
			}
			if u.Win.Title() != loc.T("common.app_title", nil) {
				t.Errorf("window title %q", u.Win.Title())
			}
			if lang == "sr-Cyrl" && !strings.Contains(all, "Терминал") {
				t.Errorf("no Cyrillic on the screen:\n%s", all)
			}
		})
	}
}

// overlayPIN returns the PIN entry and the status label of the dialog on top of the window.
func overlayPIN(t *testing.T, u *UI) (*widget.Entry, *widget.Label) {
	t.Helper()
	top := u.Win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog is shown")
	}
	var entry *widget.Entry
	var status *widget.Label
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Entry:
			if w.Password && entry == nil {
				entry = w
			}
		case *widget.Label:
			if w.Importance == widget.DangerImportance {
				status = w
			}
		}
		switch c := o.(type) {
		case *fyne.Container:
			for _, child := range c.Objects {
				walk(child)
			}
		case fyne.Widget:
			if _, ok := c.(*widget.Entry); ok {
				return
			}
			for _, child := range test.WidgetRenderer(c).Objects() {
				walk(child)
			}
		}
	}
	walk(top)
	if entry == nil || status == nil {
		t.Fatal("the dialog has no PIN entry or no status line")
	}
	if u.Win.Canvas().Focused() != entry {
		t.Error("the PIN entry does not have the keyboard focus")
	}
	return entry, status
}

func submit(u *UI, e *widget.Entry, pin string) {
	test.Type(e, pin)
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

func TestClosingAsksForTheProctorPIN(t *testing.T) {
	k, _ := openKiosk(t)
	if err := k.Engine.SetPIN(exam.RoleProctor, "246810"); err != nil {
		t.Fatal(err)
	}
	loc := strictLocalizer(t, "sq")
	u, quit := newTestUI(t, k, loc)

	u.RequestClose()
	entry, status := overlayPIN(t, u)
	submit(u, entry, "111111")
	if *quit {
		t.Fatal("a wrong PIN closed the kiosk")
	}
	if want := loc.N("proctor.pin.wrong", 4, nil); status.Text != want || !status.Visible() {
		t.Errorf("after a wrong PIN the dialog shows %q, want %q", status.Text, want)
	}
	if u.Win.Canvas().Overlays().Top() == nil {
		t.Fatal("the PIN dialog went away after a wrong PIN")
	}
	u.RequestClose() // a second request while asking does not stack a second dialog
	if n := len(u.Win.Canvas().Overlays().List()); n != 1 {
		t.Errorf("%d dialogs after a second close request", n)
	}
	submit(u, entry, "246810")
	if !*quit {
		t.Fatal("the right PIN did not close the kiosk")
	}
}

func TestClosingLockedOut(t *testing.T) {
	k, _ := openKiosk(t)
	if err := k.Engine.SetPIN(exam.RoleProctor, "246810"); err != nil {
		t.Fatal(err)
	}
	loc := strictLocalizer(t, "en")
	u, quit := newTestUI(t, k, loc)
	u.RequestClose()
	entry, status := overlayPIN(t, u)
	for range 5 {
		submit(u, entry, "999999")
	}
	if !strings.HasPrefix(status.Text, "Too many wrong PINs") || !strings.Contains(status.Text, ":") {
		t.Errorf("locked out, the dialog shows %q", status.Text)
	}
	submit(u, entry, "246810") // still locked
	if *quit {
		t.Error("the kiosk closed while locked out")
	}
}

func TestClosingWithOnlyAnAdministratorPIN(t *testing.T) {
	k, _ := openKiosk(t)
	loc := strictLocalizer(t, "sr-Cyrl")
	u, quit := newTestUI(t, k, loc)
	u.RequestClose()
	if u.Win.Canvas().Overlays().Top() != nil || *quit {
		t.Fatal("with no PIN at all, closing must neither ask nor close")
	}
	if err := k.Engine.SetPIN(exam.RoleAdmin, "135790"); err != nil {
		t.Fatal(err)
	}
	u.RequestClose()
	entry, _ := overlayPIN(t, u)
	submit(u, entry, "135790")
	if !*quit {
		t.Fatal("the administrator PIN did not close the kiosk while no proctor PIN is set")
	}
}

func TestAdministratorSeesRefusedBank(t *testing.T) {
	k, dir := openKiosk(t)
	if err := k.Engine.SetPIN(exam.RoleAdmin, "135790"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "banks", "broken.bank"), []byte("not a bank"), 0o600); err != nil {
		t.Fatal(err)
	}
	loc := strictLocalizer(t, "sq")
	u, _ := newTestUI(t, k, loc)
	all := strings.Join(texts(u.Win.Content()), "\n")
	if !strings.Contains(all, loc.T("admin.banks.title", nil)+": 1") {
		t.Errorf("the terminal screen does not count the bank:\n%s", all)
	}
	var admin *widget.Button
	for _, o := range test.LaidOutObjects(u.Win.Content()) {
		if b, ok := asButton(o); ok && b.Text == loc.T("admin.title", nil) {
			admin = b
		}
	}
	if admin == nil {
		t.Fatal("no administrator button")
	}
	test.Tap(admin)
	entry, _ := overlayPIN(t, u)
	submit(u, entry, "135790")
	all = strings.Join(texts(u.Win.Content()), "\n")
	for _, want := range []string{loc.T("admin.status.refused", nil), loc.T("admin.refusal.malformed", nil)} {
		if !strings.Contains(all, want) {
			t.Errorf("the administrator screen lacks %q:\n%s", want, all)
		}
	}
}

func setPINs(tb testing.TB, k *kiosk.Kiosk) {
	tb.Helper()
	if err := k.Engine.SetPIN(exam.RoleAdmin, "135790"); err != nil {
		tb.Fatal(err)
	}
	if err := k.Engine.SetPIN(exam.RoleProctor, "246810"); err != nil {
		tb.Fatal(err)
	}
}

// entries returns the entries on the window, in order.
func entries(o fyne.CanvasObject) []*widget.Entry {
	var out []*widget.Entry
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Entry:
			out = append(out, w)
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case *container.Scroll:
			walk(w.Content)
		}
	}
	walk(o)
	return out
}

func TestFirstStartSetsThePINs(t *testing.T) {
	k, _ := openKiosk(t)
	loc := strictLocalizer(t, "sq")
	u, _ := newTestUI(t, k, loc)
	all := strings.Join(texts(u.Win.Content()), "\n")
	if !strings.Contains(all, loc.T("setup.title", nil)) {
		t.Fatalf("a kiosk with no PIN does not start on the setup screen:\n%s", all)
	}
	in := entries(u.Win.Content())
	if len(in) != 4 {
		t.Fatalf("%d entries on the setup screen", len(in))
	}
	type attempt struct{ admin, again, proctor, proctorAgain, want string }
	for _, a := range []attempt{
		{"135790", "135791", "246810", "246810", loc.T("setup.mismatch", nil)},
		{"135790", "135790", "135790", "135790", loc.T("setup.same", nil)},
		{"1357", "1357", "246810", "246810", loc.T("setup.invalid", nil)},
	} {
		for i, s := range []string{a.admin, a.again, a.proctor, a.proctorAgain} {
			test.Type(in[i], s)
		}
		in[3].OnSubmitted(a.proctorAgain)
		if all := strings.Join(texts(u.Win.Content()), "\n"); !strings.Contains(all, a.want) {
			t.Fatalf("after %+v the screen lacks %q:\n%s", a, a.want, all)
		}
		for _, e := range in {
			e.SetText("")
		}
	}
	if has, _ := k.Engine.HasPIN(exam.RoleProctor); has {
		if has2, _ := k.Engine.HasPIN(exam.RoleAdmin); has2 {
			t.Fatal("refused PINs were stored")
		}
	}
	for i, s := range []string{"135790", "135790", "246810", "246810"} {
		test.Type(in[i], s)
	}
	in[3].OnSubmitted("246810")
	if _, err := k.Engine.CheckPIN(exam.RoleProctor, "246810"); err != nil {
		t.Fatalf("proctor PIN: %v", err)
	}
	if _, err := k.Engine.CheckPIN(exam.RoleAdmin, "135790"); err != nil {
		t.Fatalf("administrator PIN: %v", err)
	}
	if all := strings.Join(texts(u.Win.Content()), "\n"); !strings.Contains(all, k.Fingerprint()) {
		t.Fatalf("after setting the PINs the terminal screen is not shown:\n%s", all)
	}
}

// asButton is o as a button: a Fyne button or one of the kiosk's own.
func asButton(o any) (*widget.Button, bool) {
	switch b := o.(type) {
	case *widget.Button:
		return b, true
	case *keyButton:
		return &b.Button, true
	}
	return nil, false
}

func buttonText(o any) string {
	if b, ok := asButton(o); ok {
		return b.Text
	}
	return ""
}

// saveScreen writes what the window shows to dir/name.png, for a person to look at.
func saveScreen(t *testing.T, u *UI, dir, name string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, u.Win.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}
