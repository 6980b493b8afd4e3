package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"ispit/app/kiosk"
	"ispit/assets"
	"ispit/bank"
	"ispit/bank/source"
	"ispit/internal/sshsig"
	"ispit/scorer"
)

// demoKiosk is a kiosk enrolled with a scorer (not running: uploads wait), with the demo bank,
// built with the demo authority key and start code, and the demo roster loaded.
func demoKiosk(t *testing.T) (*kiosk.Kiosk, string) {
	t.Helper()
	k, startCode, _ := demoKioskIn(t)
	return k, startCode
}

// demoKioskIn is demoKiosk that also returns the kiosk's configuration, to open it again.
func demoKioskIn(t *testing.T) (*kiosk.Kiosk, string, kiosk.Config) {
	t.Helper()
	k, dir := openKiosk(t)
	setPINs(t, k)
	signer, err := sshsig.LoadSigner(writeDemoKey(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	def, err := source.LoadFS(assets.DemoBankSource(), "bank.yaml")
	if err != nil {
		t.Fatal(err)
	}
	code, _ := os.ReadFile("../assets/demo/start-code.txt")
	built, err := bank.Build(def, bank.BuildOptions{Signer: signer, WorkFactor: 1, StartCode: strings.TrimSpace(string(code))})
	if err != nil {
		t.Fatal(err)
	}
	usb := t.TempDir()
	os.WriteFile(filepath.Join(usb, "demo.bank"), built.Bank, 0o644)
	signed, _ := bank.SignRoster(assets.DemoRosterCSV(), signer)
	os.WriteFile(filepath.Join(usb, "roster.signed"), signed, 0o644)
	if _, err := k.LoadBank(filepath.Join(usb, "demo.bank")); err != nil {
		t.Fatal(err)
	}
	if _, err := k.LoadRoster(filepath.Join(usb, "roster.signed")); err != nil {
		t.Fatal(err)
	}
	keys := filepath.Join(usb, "scorer")
	scorer.GenerateKeys(keys, []string{"127.0.0.1"})
	sk, err := scorer.LoadKeys(keys)
	if err != nil {
		t.Fatal(err)
	}
	enrolment, _ := json.Marshal(sk.Enrolment("https://127.0.0.1:1"))
	if err := k.Enrol(enrolment); err != nil {
		t.Fatal(err)
	}
	trust, _ := filepath.Abs("../assets/demo/keys/demo-authority.pub")
	return k, built.StartCode, kiosk.Config{DataDir: dir, TerminalID: "T-01", Trust: trust}
}

// writeDemoKey copies the demo authority key with the 0600 a private key needs.
func writeDemoKey(t *testing.T) string {
	data, err := os.ReadFile("../assets/demo/keys/demo-authority.key")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "demo-authority.key")
	os.WriteFile(path, data, 0o600)
	return path
}

func button(t *testing.T, u *UI, text string) *widget.Button {
	t.Helper()
	for _, o := range test.LaidOutObjects(u.Win.Content()) {
		if b, ok := asButton(o); ok && strings.HasPrefix(b.Text, text) {
			return b
		}
	}
	t.Fatalf("no button %q on the screen:\n%s", text, strings.Join(texts(u.Win.Content()), "\n"))
	return nil
}

func TestProctorStartsASession(t *testing.T) {
	k, startCode := demoKiosk(t)
	loc := strictLocalizer(t, "sr-Cyrl")
	u, _ := newTestUI(t, k, loc)
	u.showProctor()
	test.Tap(button(t, u, "Демонстрациони испит"))
	in := entries(u.Win.Content())
	if len(in) != 1 {
		t.Fatalf("%d entries on the start code screen", len(in))
	}
	code := in[0]
	start := button(t, u, loc.T("proctor.session.start", nil))
	screen := func() string { return strings.Join(texts(u.Win.Content()), "\n") }

	wrongCheck := []byte(startCode)
	last := &wrongCheck[len(wrongCheck)-1]
	*last = map[bool]byte{true: '0', false: '1'}[*last != '0']
	other := bank.NewStartCode()
	for other == startCode {
		other = bank.NewStartCode()
	}
	steps := []struct {
		typed    string
		want     string
		canStart bool
	}{
		{"DEM0-", loc.N("proctor.start_code.progress", 17, map[string]any{"Typed": 4}), false},
		{"DEMU", loc.T("proctor.start_code.symbol", map[string]any{"Symbol": "U"}), false},
		{string(wrongCheck), loc.T("proctor.start_code.mistyped", nil), false},
		{startCode + "7", loc.N("proctor.start_code.length", 17, nil), false},
		{other, loc.T("proctor.start_code.complete", nil), true},
	}
	for _, st := range steps {
		code.SetText(st.typed)
		if !strings.Contains(screen(), st.want) || start.Disabled() == st.canStart {
			t.Fatalf("typed %q: start enabled %v, screen:\n%s", st.typed, !start.Disabled(), screen())
		}
	}
	test.Tap(start)
	if !strings.Contains(screen(), loc.T("proctor.start_code.wrong", nil)) {
		t.Fatalf("a wrong start code:\n%s", screen())
	}
	if info, _ := k.Engine.ActiveSession(); info != nil {
		t.Fatal("a wrong start code started a session")
	}
	code.SetText(strings.ToLower(strings.ReplaceAll(startCode, "-", " ")))
	test.Tap(start)
	if !strings.Contains(screen(), loc.T("proctor.session.started", nil)) {
		t.Fatalf("the right start code:\n%s", screen())
	}
	info, err := k.Engine.ActiveSession()
	if err != nil || info == nil || info.BankID != "demo-2026" || time.Since(info.StartedAt) > time.Minute {
		t.Fatalf("active session %+v, %v", info, err)
	}
}
