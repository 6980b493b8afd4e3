package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"ispit/app/kiosk"
	"ispit/assets"
	"ispit/bank"
	"ispit/bank/source"
	"ispit/exam"
	"ispit/i18n"
	"ispit/internal/sshsig"
	"ispit/scorer"
)

// otherPosition is a candidate added to the demo roster whose position sits none of the
// demo bank's professional parts.
const otherPosition = "DEMO-0099,Testna Kandidatkinja,OTHER-1/2026,\n"

// examKiosk is the tests' demo kiosk: enrolled with a scorer that is not running (sheets
// wait), with the demo bank (built with the demo authority key and start code) and the demo
// roster (plus otherPosition) loaded, and the PINs of setPINs. It returns the kiosk's
// configuration, to open it again, and the start code.
func examKiosk(tb testing.TB) (*kiosk.Kiosk, kiosk.Config, string) {
	tb.Helper()
	k, dir := openKiosk(tb)
	setPINs(tb, k)
	signer, err := sshsig.LoadSigner(writeDemoKey(tb), nil)
	if err != nil {
		tb.Fatal(err)
	}
	def, err := source.LoadFS(assets.DemoBankSource(), "bank.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	code, _ := os.ReadFile("../assets/demo/start-code.txt")
	built, err := bank.Build(def, bank.BuildOptions{Signer: signer, WorkFactor: 1, StartCode: strings.TrimSpace(string(code))})
	if err != nil {
		tb.Fatal(err)
	}
	usb := tb.TempDir()
	os.WriteFile(filepath.Join(usb, "demo.bank"), built.Bank, 0o644)
	roster := append(append([]byte(nil), assets.DemoRosterCSV()...), otherPosition...)
	signed, err := bank.SignRoster(roster, signer)
	if err != nil {
		tb.Fatal(err)
	}
	os.WriteFile(filepath.Join(usb, "roster.signed"), signed, 0o644)
	if _, err := k.LoadBank(filepath.Join(usb, "demo.bank")); err != nil {
		tb.Fatal(err)
	}
	if _, err := k.LoadRoster(filepath.Join(usb, "roster.signed")); err != nil {
		tb.Fatal(err)
	}
	keys := filepath.Join(usb, "scorer")
	scorer.GenerateKeys(keys, []string{"127.0.0.1"})
	sk, err := scorer.LoadKeys(keys)
	if err != nil {
		tb.Fatal(err)
	}
	enrolment, _ := json.Marshal(sk.Enrolment("https://127.0.0.1:1"))
	if err := k.Enrol(enrolment); err != nil {
		tb.Fatal(err)
	}
	return k, demoConfig(tb, dir), built.StartCode
}

// writeDemoKey copies the demo authority key with the 0600 a private key needs.
func writeDemoKey(tb testing.TB) string {
	data, err := os.ReadFile("../assets/demo/keys/demo-authority.key")
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), "demo-authority.key")
	os.WriteFile(path, data, 0o600)
	return path
}

// uiQueue stands in for fyne.Do: the engine's notifications wait in it until the test runs
// them on its own goroutine, as the real driver runs them on the UI thread.
type uiQueue struct {
	mu  sync.Mutex
	fns []func()
}

func (q *uiQueue) post(f func()) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.fns = append(q.fns, f)
}

// run runs what is queued.
func (q *uiQueue) run() {
	q.mu.Lock()
	fns := q.fns
	q.fns = nil
	q.mu.Unlock()
	for _, f := range fns {
		f()
	}
}

// until runs the queue until cond holds, for at most 15 seconds.
func (q *uiQueue) until(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		q.run()
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("waited in vain for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func useQueue(tb testing.TB) *uiQueue {
	q := &uiQueue{}
	old := postUI
	postUI = q.post
	tb.Cleanup(func() { postUI = old })
	return q
}

// candidateUI is a UI on the test driver, at 1024×768, for the candidates of a running session
// of the part; PIN checks and submissions run inline.
func candidateUI(tb testing.TB, k *kiosk.Kiosk, s *exam.Session, loc *i18n.Localizer, part string) *UI {
	tb.Helper()
	a := test.NewTempApp(tb)
	u := New(a, k, loc)
	u.background = func(work, done func()) { work(); done() }
	u.quit = func() {}
	u.Win.Resize(fyne.NewSize(1024, 768))
	u.session, u.part = s, part
	return u
}

// startSession starts a session of the demo bank on the kiosk.
func startSession(tb testing.TB, k *kiosk.Kiosk, code string) *exam.Session {
	tb.Helper()
	s, err := k.StartSession("demo-2026", "public", "proctor", code)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// candidateSetup is the usual start of a test: a kiosk with a running session, the queue, and
// a UI on the sign-in screen.
func candidateSetup(t *testing.T, lang, part string) (*UI, *kiosk.Kiosk, *exam.Session, *uiQueue) {
	t.Helper()
	q := useQueue(t)
	k, _, code := examKiosk(t)
	s := startSession(t, k, code)
	u := candidateUI(t, k, s, strictLocalizer(t, lang), part)
	u.showSignIn()
	return u, k, s, q
}

// walkVisible calls f for every visible object under o, the window's dialogs included when o
// is nil.
func walkVisible(u *UI, f func(fyne.CanvasObject)) {
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		f(o)
		switch c := o.(type) {
		case *fyne.Container:
			for _, child := range c.Objects {
				walk(child)
			}
		case *container.Scroll:
			walk(c.Content)
		case fyne.Widget:
			switch c.(type) {
			case *essayEntry, *widget.Entry, *widget.Label, *widget.Button, *keyButton, *widget.RichText:
				return // their text is their own
			}
			for _, child := range test.WidgetRenderer(c).Objects() {
				walk(child)
			}
		}
	}
	walk(u.Win.Content())
	for _, o := range u.Win.Canvas().Overlays().List() {
		walk(o)
	}
}

// shown is the text of every visible label, button and rich text, dialogs included.
func shown(u *UI) []string {
	var out []string
	walkVisible(u, func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.Button:
			out = append(out, w.Text)
		case *keyButton:
			out = append(out, w.Text)
		case *widget.RichText:
			out = append(out, strings.ReplaceAll(w.String(), zeroWidthSpace, "")) // what a reader sees
		}
	})
	return out
}

func screen(u *UI) string { return strings.Join(shown(u), "\n") }

// wantShown fails unless every text is on the screen.
func wantShown(t *testing.T, u *UI, texts ...string) {
	t.Helper()
	all := screen(u)
	for _, want := range texts {
		if !strings.Contains(all, want) {
			t.Fatalf("the screen lacks %q; it shows:\n%s", want, all)
		}
	}
}

// tap taps the visible, enabled button whose text starts with text, dialogs first.
func tap(t *testing.T, u *UI, text string) {
	t.Helper()
	var found fyne.Tappable
	walkVisible(u, func(o fyne.CanvasObject) {
		switch b := o.(type) {
		case *widget.Button:
			if strings.HasPrefix(b.Text, text) && !b.Disabled() {
				found = b
			}
		case *keyButton:
			if strings.HasPrefix(b.Text, text) && !b.Disabled() {
				found = b
			}
		}
	})
	if found == nil {
		t.Fatalf("no button %q on the screen:\n%s", text, screen(u))
	}
	test.Tap(found)
}

// typeKey sends a key to whatever has the focus, or to the window.
func typeKey(u *UI, name fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: name}
	if f := u.Win.Canvas().Focused(); f != nil {
		f.TypedKey(ev)
		return
	}
	u.Win.Canvas().OnTypedKey()(ev)
}

// typeRunes types characters into whatever has the focus, or to the window.
func typeRunes(u *UI, s string) {
	for _, r := range s {
		if f := u.Win.Canvas().Focused(); f != nil {
			f.TypedRune(r)
		} else {
			u.Win.Canvas().OnTypedRune()(r)
		}
	}
}

// signIn goes from the sign-in screen to the item screens: code, details, language, rules.
func signIn(t *testing.T, u *UI, code, langName string) *exam.Attempt {
	t.Helper()
	entry := entries(u.Win.Content())[0]
	test.Type(entry, code)
	entry.OnSubmitted(entry.Text)
	tap(t, u, u.t("candidate.signin.details_correct", nil))
	tap(t, u, langName)
	tap(t, u, u.t("candidate.rules.start", nil))
	if u.cand == nil || u.cand.a == nil || u.cand.exam == nil {
		t.Fatalf("not on the item screens after signing in:\n%s", screen(u))
	}
	return u.cand.a
}

// admitted admits a candidate and begins the attempt in lang without the screens.
func admitted(t *testing.T, s *exam.Session, code, part, lang string) *exam.Attempt {
	t.Helper()
	a, err := s.Admit(code, part)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Begin(lang); err != nil {
		t.Fatal(err)
	}
	return a
}

// fakeClock is a clock the test moves by hand.
type fakeClock struct {
	mu      sync.Mutex
	wall    time.Time
	elapsed time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.wall
}

func (c *fakeClock) Elapsed() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.elapsed
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wall = c.wall.Add(d)
	c.elapsed += d
}

// restartAndResume stops k as a power cut would, opens the kiosk again on cfg, resumes the
// session and shows the attempt id in a new UI for part: the restarted kiosk holds a running
// attempt paused until the proctor's PIN hands it back.
func restartAndResume(t *testing.T, k *kiosk.Kiosk, cfg kiosk.Config, loc *i18n.Localizer, part, id string) (*UI, *exam.Attempt) {
	t.Helper()
	if err := k.Close(); err != nil {
		t.Fatal(err)
	}
	k2, err := kiosk.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k2.Close() })
	s2, err := k2.Resume()
	if err != nil || s2 == nil {
		t.Fatalf("resuming the session: %v", err)
	}
	a2, ok := s2.Attempt(id)
	if !ok {
		t.Fatal("the attempt is not resumed")
	}
	u2 := candidateUI(t, k2, s2, loc, part)
	if st, _ := a2.State(); st == exam.StatePaused {
		tap(t, u2, loc.T("proctor.attempt.resume", nil))
		entry, _ := overlayPIN(t, u2)
		submit(u2, entry, "246810")
	} else {
		u2.showAttempt(a2)
	}
	return u2, a2
}
