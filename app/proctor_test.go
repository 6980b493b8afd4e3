package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"ispit/bank"
)

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
	k, _, startCode := examKiosk(t)
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
