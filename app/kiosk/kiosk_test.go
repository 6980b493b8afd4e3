package kiosk

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"ispit/assets"
	"ispit/bank"
	"ispit/bank/source"
	"ispit/exam"
	"ispit/internal/sshsig"
	"ispit/scorer"
	"ispit/sheet"
)

// fixture is an authority's files on a USB stick, and a scorer on 127.0.0.1.
type fixture struct {
	dir, bankFile, rosterFile, trustFile string
	startCode                            string
	enrolment                            []byte
	store                                *scorer.SQLiteStore
}

// startSession loads the fixture's bank and roster into k and starts a session of the public
// exam with the start code.
func (f *fixture) startSession(t *testing.T, k *Kiosk) *exam.Session {
	t.Helper()
	if _, err := k.LoadBank(f.bankFile); err != nil {
		t.Fatal(err)
	}
	if _, err := k.LoadRoster(f.rosterFile); err != nil {
		t.Fatal(err)
	}
	s, err := k.StartSession("demo-2026", "public", "proctor", f.startCode)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newFixture(t *testing.T) *fixture { return newFixtureWith(t, scorer.Config{}) }

// newFixtureWith is newFixture with the scorer configured by cfg.
func newFixtureWith(t *testing.T, cfg scorer.Config) *fixture {
	t.Helper()
	f := &fixture{dir: t.TempDir()}
	key, pub := filepath.Join(f.dir, "authority.key"), filepath.Join(f.dir, "authority.pub")
	if err := sshsig.WriteKeyPair(key, pub, "authority"); err != nil {
		t.Fatal(err)
	}
	f.trustFile = pub
	signer, _ := sshsig.LoadSigner(key, nil)
	def, err := source.LoadFS(assets.DemoBankSource(), "bank.yaml")
	if err != nil {
		t.Fatal(err)
	}
	built, err := bank.Build(def, bank.BuildOptions{Signer: signer, WorkFactor: 1})
	if err != nil {
		t.Fatal(err)
	}
	f.startCode = built.StartCode
	f.bankFile = filepath.Join(f.dir, "demo.bank")
	os.WriteFile(f.bankFile, built.Bank, 0o644)
	signed, _ := bank.SignRoster(assets.DemoRosterCSV(), signer)
	f.rosterFile = filepath.Join(f.dir, "roster.signed")
	os.WriteFile(f.rosterFile, signed, 0o644)

	scorerDir := filepath.Join(f.dir, "scorer")
	scorer.GenerateKeys(filepath.Join(scorerDir, "keys"), []string{"127.0.0.1"})
	keys, err := scorer.LoadKeys(filepath.Join(scorerDir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	if f.store, err = scorer.OpenSQLite(filepath.Join(scorerDir, "scorer.db")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.store.Close() })
	svc := scorer.NewService(f.store, keys, cfg)
	t.Cleanup(svc.Close)
	srv := httptest.NewUnstartedServer(svc.Handler())
	srv.TLS = scorer.TLSConfig(keys)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	f.enrolment, _ = json.Marshal(keys.Enrolment(srv.URL))
	return f
}

func (f *fixture) config(t *testing.T) Config {
	return Config{DataDir: filepath.Join(f.dir, "kiosk"), TerminalID: "T-01", Trust: f.trustFile}
}

// enrolTerminal registers the kiosk's key with the scorer, as the administrator does.
func (f *fixture) enrolTerminal(t *testing.T, k *Kiosk) {
	pub, err := os.ReadFile(k.PublicKeyFile())
	if err != nil {
		t.Fatal(err)
	}
	key, _, _, _, err := ssh.ParseAuthorizedKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(key)))
	if err := f.store.AddTerminal(t.Context(), scorer.Terminal{ID: k.TerminalID(), PublicKey: line, Added: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := k.Enrol(f.enrolment); err != nil {
		t.Fatal(err)
	}
}

func TestKioskDay(t *testing.T) {
	f := newFixture(t)
	k, err := Open(f.config(t))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(k.Fingerprint(), "SHA256:") {
		t.Fatalf("fingerprint %q", k.Fingerprint())
	}
	if info, _ := os.Stat(filepath.Join(f.config(t).DataDir, "terminal.secret")); info.Mode().Perm() != 0o600 {
		t.Fatalf("terminal.secret mode %v", info.Mode())
	}

	// Administrator: banks and roster.
	entry, err := k.LoadBank(f.bankFile)
	if err != nil || entry.Manifest.BankID != "demo-2026" {
		t.Fatalf("load bank: %+v %v", entry, err)
	}
	junk := filepath.Join(f.dir, "junk.bank")
	os.WriteFile(junk, []byte("not a bank"), 0o644)
	if _, err := k.LoadBank(junk); !errors.Is(err, bank.ErrMalformed) {
		t.Fatalf("junk bank: %v", err)
	}
	if _, err := k.StartSession("demo-2026", "public", "proctor-1", f.startCode); !errors.Is(err, ErrNotEnrolled) {
		t.Fatalf("session before enrolment: %v", err)
	}
	f.enrolTerminal(t, k)
	if _, err := k.StartSession("demo-2026", "public", "proctor-1", f.startCode); err == nil || !strings.Contains(err.Error(), "no roster") {
		t.Fatalf("session without a roster: %v", err)
	}
	if _, err := k.LoadRoster(f.rosterFile); err != nil {
		t.Fatal(err)
	}
	banks, _ := k.Banks()
	if len(banks) != 1 || banks[0].Err != nil {
		t.Fatalf("library %+v", banks)
	}

	// Proctor: start codes.
	typo := []byte(f.startCode)
	typo[0] = map[bool]byte{true: '1', false: '2'}[typo[0] != '1']
	if _, err := k.StartSession("demo-2026", "public", "proctor-1", string(typo)); !errors.Is(err, bank.ErrStartCodeCheck) {
		t.Fatalf("mistyped code: %v", err)
	}
	if _, err := k.StartSession("demo-2026", "public", "proctor-1", bank.NewStartCode()); !errors.Is(err, bank.ErrWrongStartCode) {
		t.Fatalf("wrong code: %v", err)
	}
	s, err := k.StartSession("demo-2026", "public", "proctor-1", strings.ToLower(f.startCode))
	if err != nil {
		t.Fatal(err)
	}
	if err := k.RemoveBank("demo-2026"); !errors.Is(err, ErrBankInUse) {
		t.Fatalf("remove the bank in use: %v", err)
	}

	// Candidate: an attempt, then the kiosk stops in the middle of another.
	ch, cancel := k.Engine.Subscribe()
	defer cancel()
	a, _ := s.Admit("DEMO-0004", "public")
	a.Begin("sq")
	v, _ := a.Item(0)
	a.Choose(v.Item.ID, v.Options[1].ID)
	if _, ok, err := k.Receipt(a.ID()); ok || err != nil {
		t.Fatalf("a receipt before submission: %v %v", ok, err)
	}
	if _, err := a.Submit(); err != nil {
		t.Fatal(err)
	}
	// The code is known at once, before the scorer answers, and the scorer's receipt confirms it.
	sealed, ok, err := k.Receipt(a.ID())
	if !ok || err != nil || sealed.SheetID != a.ID() {
		t.Fatalf("receipt after submission: %+v %v %v", sealed, ok, err)
	}
	if code, err := sheet.NormalizeReceiptCode(sealed.Code); err != nil || code != sealed.Code {
		t.Fatalf("the code %q shown at sealing is not a receipt code: %v", sealed.Code, err)
	}
	deadline := time.After(10 * time.Second)
	for delivered := false; !delivered; {
		select {
		case n := <-ch:
			delivered = n.Kind == exam.NotifyDelivered && n.Attempt == a.ID()
			if delivered && n.Receipt != sealed.Code {
				t.Fatalf("the scorer's receipt code %s, the code at sealing %s", n.Receipt, sealed.Code)
			}
		case <-deadline:
			out, _ := k.Engine.Outbox()
			t.Fatalf("not delivered: %+v", out)
		}
	}
	if r, ok, err := k.Receipt(a.ID()); !ok || err != nil || !r.Delivered || r.Code != sealed.Code {
		t.Fatalf("receipt after delivery: %+v %v %v (at sealing %+v)", r, ok, err, sealed)
	}
	sn, err := scorer.NewBoard(f.store, nil).Current(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if found := sn.LookUp(sealed.Code); len(found) != 1 || found[0].SheetID != a.ID() {
		t.Fatalf("the scorer finds %d sheets by the code %s", len(found), sealed.Code)
	}
	b, _ := s.Admit("DEMO-0001", "public")
	b.Begin("bs")
	w, _ := b.Item(2)
	b.Choose(w.Item.ID, w.Options[0].ID)
	b.Visit(2)
	k.Close()

	k2, err := Open(f.config(t))
	if err != nil {
		t.Fatal(err)
	}
	defer k2.Close()
	s2, err := k2.Resume()
	if err != nil || s2 == nil {
		t.Fatalf("resume: %v", err)
	}
	if s2.Info.Part != "public" {
		t.Fatalf("resumed session sits part %q, want public", s2.Info.Part)
	}
	r, ok := s2.Attempt(b.ID())
	if !ok || r.Current() != 2 {
		t.Fatalf("resumed attempt on item %d", r.Current())
	}
	if got, _ := r.Item(2); got.Chosen != w.Options[0].ID {
		t.Fatalf("answer after restart: %q", got.Chosen)
	}
	if ok, url := k2.Enrolled(); !ok || !strings.HasPrefix(url, "https://127.0.0.1") {
		t.Fatal("enrolment not kept across restarts")
	}
	stick := filepath.Join(f.dir, "usb")
	os.MkdirAll(stick, 0o755)
	if err := s2.End("proctor-1", "end of the exam"); err != nil {
		t.Fatal(err)
	}
	n, err := k2.ExportOutbox(stick)
	if err != nil || n > 1 {
		t.Fatalf("export: %d %v", n, err)
	}
	if err := k2.RemoveBank("demo-2026"); err != nil {
		t.Fatalf("remove after the session: %v", err)
	}
}

func TestLoadConfig(t *testing.T) {
	dir := t.TempDir()
	write := func(s string) string {
		p := filepath.Join(dir, "kiosk.json")
		os.WriteFile(p, []byte(s), 0o644)
		return p
	}
	c, err := LoadConfig(write(`{"data_dir": "data", "terminal_id": "T-01", "trust": "keys/authority.pub"}`))
	if err != nil || c.DataDir != filepath.Join(dir, "data") || c.Trust != filepath.Join(dir, "keys/authority.pub") {
		t.Fatalf("%+v %v", c, err)
	}
	for _, bad := range []string{`{"data_dir": "d", "terminal_id": "T 1", "trust": "t"}`, `{"data_dir": "d", "terminal_id": "T", "trust": "t", "extra": 1}`, `{"terminal_id": "T", "trust": "t"}`, `not json`} {
		if _, err := LoadConfig(write(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}
