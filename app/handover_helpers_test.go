package app

import (
	"context"
	"encoding/json"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/crypto/ssh"

	"ispit/app/kiosk"
	"ispit/assets"
	"ispit/bank"
	"ispit/bank/source"
	"ispit/exam"
	"ispit/internal/sshsig"
	"ispit/scorer"
)

// examRoom is one exam on several kiosks: the demo bank and roster the authority issued (one
// build, which every kiosk loads), and the real scorer on loopback (HTTPS, pinned), whose
// clock the test moves and which the test can take down and bring back on the same address.
type examRoom struct {
	t          *testing.T
	dir        string
	clock      *fakeClock
	keys       *scorer.Keys
	store      *scorer.SQLiteStore
	svc        *scorer.Service
	server     *httptest.Server
	addr       string
	bankFile   string
	rosterFile string
	startCode  string
}

func newExamRoom(t *testing.T) *examRoom {
	t.Helper()
	r := &examRoom{t: t, dir: t.TempDir(), clock: &fakeClock{wall: time.Now()}}
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
	r.startCode = built.StartCode
	r.bankFile, r.rosterFile = filepath.Join(r.dir, "demo.bank"), filepath.Join(r.dir, "roster.signed")
	os.WriteFile(r.bankFile, built.Bank, 0o644)
	signed, err := bank.SignRoster(assets.DemoRosterCSV(), signer)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(r.rosterFile, signed, 0o644)

	keysDir := filepath.Join(r.dir, "scorer", "keys")
	if err := scorer.GenerateKeys(keysDir, []string{"127.0.0.1"}); err != nil {
		t.Fatal(err)
	}
	if r.keys, err = scorer.LoadKeys(keysDir); err != nil {
		t.Fatal(err)
	}
	if r.store, err = scorer.OpenSQLite(filepath.Join(r.dir, "scorer", "scorer.db")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.store.Close() })
	r.svc = scorer.NewService(r.store, r.keys, scorer.Config{Now: r.clock.Now})
	t.Cleanup(r.svc.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r.addr = ln.Addr().String()
	r.serve(ln)
	return r
}

// serve serves the scorer's API on ln.
func (r *examRoom) serve(ln net.Listener) {
	r.server = httptest.NewUnstartedServer(r.svc.Handler())
	r.server.Listener.Close()
	r.server.Listener = ln
	r.server.TLS = scorer.TLSConfig(r.keys)
	r.server.StartTLS()
	r.t.Cleanup(r.server.Close)
}

// down takes the scorer off the network; up brings it back on the same address.
func (r *examRoom) down() { r.server.Close() }

func (r *examRoom) up() {
	ln, err := net.Listen("tcp", r.addr)
	if err != nil {
		r.t.Fatal(err)
	}
	r.serve(ln)
}

// kiosk opens the kiosk of terminal id on a data folder of its own (again, when it was open
// before), with the PINs of setPINs, the exam's bank and roster, enrolled with the scorer.
func (r *examRoom) kiosk(id string) (*kiosk.Kiosk, kiosk.Config) {
	r.t.Helper()
	cfg := demoConfig(r.t, filepath.Join(r.dir, id))
	cfg.TerminalID = id
	k, err := kiosk.Open(cfg)
	if err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { k.Close() })
	if ok, _ := k.Enrolled(); ok {
		return k, cfg
	}
	setPINs(r.t, k)
	if _, err := k.LoadBank(r.bankFile); err != nil {
		r.t.Fatal(err)
	}
	if _, err := k.LoadRoster(r.rosterFile); err != nil {
		r.t.Fatal(err)
	}
	pub, _ := os.ReadFile(k.PublicKeyFile())
	key, _, _, _, err := ssh.ParseAuthorizedKey(pub)
	if err != nil {
		r.t.Fatal(err)
	}
	line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(key)))
	if err := r.store.AddTerminal(context.Background(), scorer.Terminal{ID: id, PublicKey: line, Added: time.Now()}); err != nil {
		r.t.Fatal(err)
	}
	enrolment, _ := json.Marshal(r.keys.Enrolment("https://" + r.addr))
	if err := k.Enrol(enrolment); err != nil {
		r.t.Fatal(err)
	}
	return k, cfg
}

// scorerHas waits until the scorer's record of the attempt satisfies ok.
func (r *examRoom) scorerHas(what, attempt string, ok func(*scorer.AttemptRecord) bool) *scorer.AttemptRecord {
	r.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		rec, err := r.store.Attempt(context.Background(), attempt)
		if err == nil && ok(rec) {
			return rec
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("waited in vain for %s: %+v %v", what, rec, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// sheetStored waits until the scorer has the attempt's sheet, delivering k's outbox meanwhile.
func (r *examRoom) sheetStored(k *kiosk.Kiosk, attempt string) *scorer.SheetRecord {
	r.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		if rec, err := r.store.Sheet(context.Background(), attempt); err == nil {
			return rec
		}
		if time.Now().After(deadline) {
			out, _ := k.Engine.Outbox()
			r.t.Fatalf("the sheet of %s did not arrive; the outbox holds %+v", attempt, out)
		}
		k.DeliverNow()
		time.Sleep(50 * time.Millisecond)
	}
}

// answersOf is the chosen option of every item of an attempt, by item id.
func answersOf(a *exam.Attempt) map[string]string {
	out := map[string]string{}
	for i := range a.Len() {
		v, _ := a.Item(i)
		out[v.Item.ID] = v.Chosen
	}
	return out
}

// buttonsShown are the texts of the visible, enabled buttons, dialogs included.
func buttonsShown(u *UI) []string {
	var out []string
	walkVisible(u, func(o fyne.CanvasObject) {
		switch b := o.(type) {
		case *widget.Button:
			if !b.Disabled() {
				out = append(out, b.Text)
			}
		case *keyButton:
			if !b.Disabled() {
				out = append(out, b.Text)
			}
		}
	})
	return out
}
