package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"ispit/app/kiosk"
	"ispit/assets"
	"ispit/bank"
	"ispit/bank/source"
	"ispit/i18n"
	"ispit/internal/sshsig"
	"ispit/scorer"
)

// adminStick is a USB stick with what an administrator brings to a kiosk.
type adminStick struct {
	dir                            string
	bank, untrustedBank            string
	roster, tamperedRoster         string
	enrolment, garbage, newVersion string
}

// newAdminStick writes the demo bank and roster signed by the demo authority, the same bank
// signed by a key the kiosk does not trust, a roster altered after signing, an enrolment file
// from a scorer, and a file that is not an enrolment file.
func newAdminStick(t *testing.T) *adminStick {
	t.Helper()
	s := &adminStick{dir: t.TempDir()}
	put := func(name string, data []byte) string {
		path := filepath.Join(s.dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	def, err := source.LoadFS(assets.DemoBankSource(), "bank.yaml")
	if err != nil {
		t.Fatal(err)
	}
	authority, err := sshsig.LoadSigner(writeDemoKey(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "other.key")
	if err := sshsig.WriteKeyPair(other, other+".pub", "someone else"); err != nil {
		t.Fatal(err)
	}
	stranger, _ := sshsig.LoadSigner(other, nil)
	built, err := bank.Build(def, bank.BuildOptions{Signer: authority, WorkFactor: 1})
	if err != nil {
		t.Fatal(err)
	}
	s.bank = put("demo.bank", built.Bank)
	if built, err = bank.Build(def, bank.BuildOptions{Signer: stranger, WorkFactor: 1}); err != nil {
		t.Fatal(err)
	}
	s.untrustedBank = put("stranger.bank", built.Bank)
	roster, err := bank.SignRoster(assets.DemoRosterCSV(), authority)
	if err != nil {
		t.Fatal(err)
	}
	s.roster = put("candidates.roster", roster)
	tampered := []byte(strings.Replace(string(roster), "DEMO-0001", "DEMO-0009", 1))
	if string(tampered) == string(roster) {
		t.Fatal("the demo roster has no DEMO-0001 to alter")
	}
	s.tamperedRoster = put("tampered.roster", tampered)

	keys := filepath.Join(t.TempDir(), "scorer")
	if err := scorer.GenerateKeys(keys, []string{"127.0.0.1"}); err != nil {
		t.Fatal(err)
	}
	sk, err := scorer.LoadKeys(keys)
	if err != nil {
		t.Fatal(err)
	}
	enrolment, _ := json.Marshal(sk.Enrolment("https://127.0.0.1:8443"))
	s.enrolment = put("enrolment.json", enrolment)
	s.garbage = put("notes.json", []byte("these are not the droids you are looking for"))
	s.newVersion = put("future.json", []byte(`{"format": "ispit-enrolment/9", "scorer_url": "https://127.0.0.1:8443"}`))
	return s
}

// openAdmin shows the administrator's screen of k in a language, as after the PIN, with its
// file dialogs opening on dir.
func openAdmin(t *testing.T, k *kiosk.Kiosk, lang, dir string) (*UI, *adminView, *i18n.Localizer) {
	t.Helper()
	loc := strictLocalizer(t, lang)
	u, _ := newTestUI(t, k, loc)
	a := newAdminView(u)
	a.mediaDir = func() string { return dir }
	a.show()
	return u, a, loc
}

// adminScreen is every text on the window, one a line.
func adminScreen(u *UI) string { return strings.Join(texts(u.Win.Content()), "\n") }

// wantOnScreen fails the test for each text the window lacks.
func wantOnScreen(t *testing.T, u *UI, what string, want ...string) {
	t.Helper()
	all := adminScreen(u)
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("%s: the screen lacks %q; it shows:\n%s", what, w, all)
		}
	}
}

func TestAdministratorEnrolsTheTerminal(t *testing.T) {
	for _, lang := range []string{"sr-Cyrl", "sq"} {
		t.Run(lang, func(t *testing.T) {
			k, _ := openKiosk(t)
			setPINs(t, k)
			stick := newAdminStick(t)
			u, a, loc := openAdmin(t, k, lang, stick.dir)
			wantOnScreen(t, u, "before enrolment", loc.T("admin.enrol.title", nil), loc.T("admin.enrol.intro", nil),
				"T-01", k.Fingerprint(), k.PublicKeyFile(), loc.T("admin.enrol.save_key", nil), loc.T("admin.enrol.load", nil))

			a.enrolFrom(stick.garbage)
			wantOnScreen(t, u, "garbage", loc.T("admin.enrol.failed", map[string]any{"Reason": loc.T("admin.enrol.refusal.not_enrolment", nil)}),
				loc.T("admin.file", map[string]any{"File": "notes.json"}))
			a.enrolFrom(stick.newVersion)
			wantOnScreen(t, u, "a newer version", loc.T("admin.enrol.failed", map[string]any{"Reason": loc.T("admin.enrol.refusal.version", nil)}))
			if ok, _ := k.Enrolled(); ok {
				t.Fatal("a refused file enrolled the terminal")
			}

			a.enrolFrom(stick.enrolment)
			wantOnScreen(t, u, "enrolled", "https://127.0.0.1:8443", loc.T("admin.enrol.done", map[string]any{"Terminal": "T-01"}),
				loc.T("admin.enrol.scorer_address", nil))
			if strings.Contains(adminScreen(u), loc.T("admin.enrol.intro", nil)) {
				t.Error("the screen still asks to enrol after enrolment")
			}
			if ok, url := k.Enrolled(); !ok || url != "https://127.0.0.1:8443" {
				t.Errorf("enrolled %v with %q", ok, url)
			}

			a.saveKeyTo(stick.dir)
			saved := filepath.Join(stick.dir, "T-01.pub")
			wantOnScreen(t, u, "key saved", loc.T("admin.enrol.key_saved", map[string]any{"File": saved}))
			got, _ := os.ReadFile(saved)
			want, _ := os.ReadFile(k.PublicKeyFile())
			if len(got) == 0 || string(got) != string(want) {
				t.Errorf("saved %q, the key is %q", got, want)
			}
			a.saveKeyTo(filepath.Join(stick.dir, "gone"))
			if !strings.Contains(adminScreen(u), loc.T("admin.enrol.key_save_failed", map[string]any{"Reason": "x"})[:10]) {
				t.Errorf("saving to a missing folder:\n%s", adminScreen(u))
			}
		})
	}
}

func TestAdministratorLoadsABank(t *testing.T) {
	k, _ := openKiosk(t)
	setPINs(t, k)
	stick := newAdminStick(t)
	u, a, loc := openAdmin(t, k, "sq", stick.dir)
	wantOnScreen(t, u, "empty library", loc.T("admin.banks.empty", nil))

	a.loadBankFile(stick.bank)
	m := mustManifest(t, stick.bank)
	wantOnScreen(t, u, "loaded",
		loc.T("admin.bank.verified", nil),
		m.Title["sq"], "demo-2026", "✔ "+loc.T("admin.status.verified", nil),
		loc.T("admin.signed_by", map[string]any{"Signer": m.Authority}),
		loc.T("admin.manifest.validity", map[string]any{"From": u.date(m.ValidFrom), "Until": u.date(m.ValidUntil)}),
		"Bosanski", "Shqip", "Српски (ћирилица)",
		loc.N("admin.manifest.items", 59, nil)+", "+loc.N("admin.manifest.tasks", 2, nil),
		loc.N("admin.manifest.positions", 2, nil), "DEMO-12/2026 — ", "Sarajevo",
		m.Parts[0].Title["sq"], loc.T("admin.manifest.part.kind", map[string]any{"Kind": loc.T("admin.part_kind.public", nil)}),
		loc.N("admin.manifest.part.drawn_questions", 21, map[string]any{"Pool": 45}),
		loc.N("admin.manifest.part.time_pass", 30, map[string]any{"Pass": 11, "Max": 21}),
		loc.T("admin.manifest.part.all_positions", nil),
		loc.T("admin.part_kind.professional_written", nil),
		loc.N("admin.manifest.part.listed_tasks", 2, nil),
		loc.N("admin.manifest.part.time_pass", 120, map[string]any{"Pass": 75, "Max": 100}),
		loc.T("admin.manifest.part.positions", map[string]any{"Positions": "DEMO-12/2026, DEMO-14/2026"}),
	)
	if banks, _ := k.Banks(); len(banks) != 1 || banks[0].Err != nil {
		t.Fatalf("library %+v", banks)
	}
	if a.loadBank.Disabled() {
		t.Error("the load button stays disabled")
	}
}

func TestAdministratorSeesWhyABankIsRefused(t *testing.T) {
	k, _ := openKiosk(t)
	setPINs(t, k)
	stick := newAdminStick(t)
	u, a, loc := openAdmin(t, k, "sr-Cyrl", stick.dir)
	a.loadBankFile(stick.untrustedBank)
	wantOnScreen(t, u, "untrusted",
		loc.T("admin.bank.refused", nil),
		loc.T("admin.reason", map[string]any{"Reason": loc.T("admin.refusal.untrusted", nil)}),
		loc.T("admin.file", map[string]any{"File": "stranger.bank"}),
		"Демонстрациони испит", // the title the refused file claims, to tell which file it was
		loc.T("admin.banks.empty", nil))
	if banks, _ := k.Banks(); len(banks) != 0 {
		t.Errorf("a refused bank is in the library: %+v", banks)
	}
	junk := filepath.Join(stick.dir, "junk.bank")
	os.WriteFile(junk, []byte("not a bank"), 0o644)
	a.loadBankFile(junk)
	wantOnScreen(t, u, "junk", loc.T("admin.reason", map[string]any{"Reason": loc.T("admin.refusal.malformed", nil)}))
	a.loadBankFile(filepath.Join(stick.dir, "missing.bank"))
	wantOnScreen(t, u, "missing", loc.T("admin.bank.refused", nil), "missing.bank")
}

func TestAdministratorLoadsARoster(t *testing.T) {
	k, _ := openKiosk(t)
	setPINs(t, k)
	stick := newAdminStick(t)
	u, a, loc := openAdmin(t, k, "sq", stick.dir)
	wantOnScreen(t, u, "no roster", loc.T("admin.roster.title", nil), loc.T("admin.roster.none", nil))

	a.loadRosterFile(stick.tamperedRoster)
	wantOnScreen(t, u, "tampered", loc.T("admin.roster.refused", nil),
		loc.T("admin.reason", map[string]any{"Reason": loc.T("admin.refusal.bad_signature", nil)}),
		loc.T("admin.file", map[string]any{"File": "tampered.roster"}), loc.T("admin.roster.none", nil))
	if _, err := k.Roster(); err == nil {
		t.Fatal("a tampered roster was kept")
	}

	a.loadRosterFile(stick.roster)
	r, err := k.Roster()
	if err != nil {
		t.Fatal(err)
	}
	s := kiosk.SummarizeRoster(r)
	want := []string{loc.N("admin.roster.verified", len(r.Candidates), nil), "✔ " + loc.T("admin.status.verified", nil),
		loc.N("admin.roster.candidates", len(r.Candidates), nil), loc.N("admin.manifest.positions", len(s.Positions), nil)}
	for _, p := range s.Positions {
		want = append(want, loc.N("admin.roster.position", p.Candidates, map[string]any{"Position": p.Code}))
	}
	info, _ := k.RosterInfo()
	want = append(want, loc.T("admin.signed_by", map[string]any{"Signer": info.SignerKey}))
	wantOnScreen(t, u, "loaded", want...)
	if strings.Contains(adminScreen(u), loc.T("admin.roster.none", nil)) {
		t.Error("the screen still says no roster is loaded")
	}

	a.loadRosterFile(stick.untrustedBank) // a bank is not a roster
	wantOnScreen(t, u, "a bank as roster", loc.T("admin.roster.refused", nil), loc.T("admin.refusal.malformed", nil))
	if _, err := k.Roster(); err != nil {
		t.Errorf("a refused roster replaced the good one: %v", err)
	}
}

// overlayButton returns the button with this text on the dialog on top of the window.
func overlayButton(t *testing.T, u *UI, text string) *widget.Button {
	t.Helper()
	top := u.Win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog is shown")
	}
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := asButton(o); ok && b.Text == text {
			return b
		}
	}
	t.Fatalf("the dialog has no button %q:\n%s", text, strings.Join(texts(top), "\n"))
	return nil
}

func TestAdministratorRemovesABank(t *testing.T) {
	k, _, startCode := examKiosk(t)
	u, a, loc := openAdmin(t, k, "sr-Cyrl", t.TempDir())
	remove := button(t, u, loc.T("admin.banks.remove", nil))

	test.Tap(remove)
	top := u.Win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("removing asks nothing")
	}
	question := loc.T("admin.banks.remove_confirm", map[string]any{"Title": "Демонстрациони испит — запошљавање у државној служби"})
	if all := strings.Join(texts(top), "\n"); !strings.Contains(all, question) {
		t.Fatalf("the confirmation lacks %q:\n%s", question, all)
	}
	cancel := overlayButton(t, u, loc.T("common.cancel", nil))
	if buttonText(u.Win.Canvas().Focused()) != cancel.Text {
		t.Error("the keyboard focus is not on Cancel")
	}
	test.Tap(cancel)
	if banks, _ := k.Banks(); len(banks) != 1 {
		t.Fatal("Cancel removed the bank")
	}

	// Not while a session started from it is open.
	s, err := k.StartSession("demo-2026", "public", "proctor", startCode)
	if err != nil {
		t.Fatal(err)
	}
	test.Tap(remove)
	test.Tap(overlayButton(t, u, loc.T("common.remove", nil)))
	wantOnScreen(t, u, "in use", loc.T("admin.banks.in_use", nil))
	if banks, _ := k.Banks(); len(banks) != 1 {
		t.Fatal("the open session's bank was removed")
	}
	if err := s.End("proctor", "test"); err != nil {
		t.Fatal(err)
	}

	test.Tap(button(t, u, loc.T("admin.banks.remove", nil)))
	test.Tap(overlayButton(t, u, loc.T("common.remove", nil)))
	if u.Win.Canvas().Overlays().Top() != nil {
		t.Error("the confirmation stays open")
	}
	wantOnScreen(t, u, "removed", loc.T("admin.banks.removed", nil), loc.T("admin.banks.empty", nil))
	if banks, _ := k.Banks(); len(banks) != 0 {
		t.Errorf("library after removing: %+v", banks)
	}
	if u.Win.Canvas().Focused() != a.loadBank {
		t.Error("after removing, the keyboard focus is not on loading a bank")
	}
}

func TestAdministratorFileDialogs(t *testing.T) {
	k, _ := openKiosk(t)
	setPINs(t, k)
	stick := newAdminStick(t)
	u, _, loc := openAdmin(t, k, "sq", stick.dir)
	// The dialog shows file names without their extension.
	dialogs := []struct {
		button, title, confirm string
		shows, hides           []string
	}{
		{loc.T("admin.bank.load", nil), loc.T("admin.bank.choose", nil), loc.T("fyne.open", nil), []string{"demo", "stranger"}, []string{"enrolment", "tampered"}},
		{loc.T("admin.roster.load", nil), loc.T("admin.roster.choose", nil), loc.T("fyne.open", nil), []string{"candidates", "tampered"}, []string{"demo"}},
		{loc.T("admin.enrol.load", nil), loc.T("admin.enrol.choose", nil), loc.T("fyne.open", nil), []string{"enrolment", "notes"}, []string{"demo"}},
		{loc.T("admin.enrol.save_key", nil), loc.T("admin.enrol.save_key_choose", nil), loc.T("common.save", nil), nil, []string{"demo", "enrolment"}},
	}
	for _, d := range dialogs {
		test.Tap(button(t, u, d.button))
		top := u.Win.Canvas().Overlays().Top()
		if top == nil {
			t.Fatalf("%q opens no dialog", d.button)
		}
		all := strings.Join(texts(top), "\n")
		for _, want := range append([]string{d.title, d.confirm, loc.T("common.cancel", nil)}, d.shows...) {
			if !strings.Contains("\n"+all+"\n", "\n"+want+"\n") {
				t.Errorf("the dialog of %q lacks %q:\n%s", d.button, want, all)
			}
		}
		for _, unwanted := range append([]string{"Open", "Cancel"}, d.hides...) {
			if strings.Contains("\n"+all+"\n", "\n"+unwanted+"\n") {
				t.Errorf("the dialog of %q shows %q:\n%s", d.button, unwanted, all)
			}
		}
		test.Tap(overlayButton(t, u, loc.T("common.cancel", nil)))
		if u.Win.Canvas().Overlays().Top() != nil {
			t.Fatalf("Cancel does not close the dialog of %q", d.button)
		}
	}
	if ok, _ := k.Enrolled(); ok {
		t.Error("cancelled dialogs did something")
	}
}

func TestAdministratorScreenIsKeyboardOperable(t *testing.T) {
	k, _, _ := examKiosk(t)
	u, a, loc := openAdmin(t, k, "en", t.TempDir())
	c := u.Win.Canvas()
	if f, ok := asButton(c.Focused()); !ok || f.Text != loc.T("common.back", nil) {
		t.Errorf("the focus starts on %v", c.Focused())
	}
	want := map[fyne.Focusable]bool{a.saveKey: false, a.loadEnrolment: false, a.loadBank: false, a.loadRoster: false}
	for range 40 {
		c.FocusNext()
		if _, ok := want[c.Focused()]; ok {
			want[c.Focused()] = true
		}
	}
	for w, reached := range want {
		if !reached {
			t.Errorf("Tab never reaches %q", buttonText(w))
		}
	}
}

func TestAdministratorRefusedBankInTheLibrary(t *testing.T) {
	k, dir := openKiosk(t)
	setPINs(t, k)
	os.WriteFile(filepath.Join(dir, "banks", "broken.bank"), []byte("not a bank"), 0o600)
	u, _, loc := openAdmin(t, k, "hr", t.TempDir())
	wantOnScreen(t, u, "broken", "broken.bank", "✘ "+loc.T("admin.status.refused", nil), loc.T("admin.refusal.malformed", nil))
	test.Tap(button(t, u, loc.T("admin.banks.remove", nil)))
	test.Tap(overlayButton(t, u, loc.T("common.remove", nil)))
	wantOnScreen(t, u, "removed", loc.T("admin.banks.removed", nil), loc.T("admin.banks.empty", nil))
}

// mustManifest reads a bank file's manifest.
func mustManifest(t *testing.T, path string) *bank.Manifest {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := bank.ReadManifest(data)
	if err != nil {
		t.Fatal(err)
	}
	m, err := bank.DecodeManifest(raw)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
