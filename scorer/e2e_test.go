package scorer_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
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

// world is a scorer on 127.0.0.1 (HTTPS, pinned) and one kiosk terminal with its exam engine.
type world struct {
	t          *testing.T
	dir        string
	keys       *scorer.Keys
	store      *scorer.SQLiteStore
	svc        *scorer.Service
	server     *httptest.Server
	client     *http.Client
	terminal   ssh.Signer
	engine     *exam.Engine
	session    *exam.Session
	answers    []byte // the answer key file
	answerKey  *bank.AnswerKey
	authority  *sshsig.Trust
	uploader   *sheet.Uploader
	receiptKey ssh.PublicKey
}

func newWorld(t *testing.T) *world { return newWorldWith(t, scorer.Config{}) }

// newWorldWith is newWorld with the scorer's service configured by cfg.
func newWorldWith(t *testing.T, cfg scorer.Config) *world {
	t.Helper()
	w := &world{t: t, dir: t.TempDir()}
	keys := newKeys(t, w.dir)
	w.keys = keys
	var err error
	if w.store, err = scorer.OpenSQLite(filepath.Join(w.dir, "scorer.db")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.store.Close() })
	w.svc = scorer.NewService(w.store, keys, cfg)
	t.Cleanup(w.svc.Close)
	w.server = httptest.NewUnstartedServer(w.svc.Handler())
	w.server.TLS = scorer.TLSConfig(keys)
	w.server.StartTLS()
	t.Cleanup(w.server.Close)
	w.client = &http.Client{Transport: &http.Transport{TLSClientConfig: scorer.PinnedTLSConfig(keys.TLSCertSHA256)}, Timeout: 10 * time.Second}
	w.receiptKey = keys.Receipt.PublicKey()

	// The authority builds the demo bank; the kiosk opens it.
	def, err := source.LoadFS(assets.DemoBankSource(), "bank.yaml")
	if err != nil {
		t.Fatal(err)
	}
	authority, trust := newSigner(t)
	w.authority = trust
	built, err := bank.Build(def, bank.BuildOptions{Signer: authority, WorkFactor: 1})
	if err != nil {
		t.Fatal(err)
	}
	w.answers = built.Answers
	if w.answerKey, _, err = bank.ReadAnswerKey(built.Answers, trust, time.Now()); err != nil {
		t.Fatal(err)
	}
	v, err := bank.Verify(built.Bank, trust, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b, err := v.Open(built.StartCode)
	if err != nil {
		t.Fatal(err)
	}
	signedRoster, err := bank.SignRoster(assets.DemoRosterCSV(), authority)
	if err != nil {
		t.Fatal(err)
	}
	roster, err := bank.ReadRoster(signedRoster, trust, time.Now())
	if err != nil {
		t.Fatal(err)
	}

	// The terminal is enrolled and seals to the scorer.
	w.terminal, _ = newSigner(t)
	w.enrol("T-01", w.terminal)
	w.engine, err = exam.Open(filepath.Join(w.dir, "kiosk.db"), exam.Options{
		TerminalID: "T-01", Secret: []byte("terminal secret of the e2e test"), ProgramVersion: "test",
		Sealer:   &sheet.Sealer{Terminal: w.terminal, Scorer: keys.SheetRecipient},
		Progress: &sheet.Sealer{Terminal: w.terminal, Scorer: keys.SheetRecipient}, ProgressInterval: 100 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.engine.Close() })
	if w.session, err = w.engine.StartSession(b, roster, "public", "proctor-1", built.StartCode); err != nil {
		t.Fatal(err)
	}
	w.uploader = &sheet.Uploader{Outbox: w.engine, Progress: w.engine, Client: w.client, ScorerURL: w.server.URL, TerminalID: "T-01", Terminal: w.terminal, ReceiptKey: w.receiptKey}
	return w
}

func newSigner(t *testing.T) (ssh.Signer, *sshsig.Trust) {
	t.Helper()
	priv, pub, err := sshsig.GenerateKey("test")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.ParsePrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	trust, err := sshsig.ParseTrust(pub)
	if err != nil {
		t.Fatal(err)
	}
	return signer, trust
}

func (w *world) enrol(id string, key ssh.Signer) {
	line := string(bytes.TrimSpace(ssh.MarshalAuthorizedKey(key.PublicKey())))
	if err := w.store.AddTerminal(context.Background(), scorer.Terminal{ID: id, PublicKey: line, Added: time.Now()}); err != nil {
		w.t.Fatal(err)
	}
}

// sit lets a candidate answer the public exam with exactly `correct` right answers and submits.
func (w *world) sit(code string, correct int) *exam.Attempt {
	w.t.Helper()
	a, err := w.session.Admit(code, "public")
	if err != nil {
		w.t.Fatal(err)
	}
	if err := a.Begin("sr-Cyrl"); err != nil {
		w.t.Fatal(err)
	}
	for i := range a.Len() {
		v, _ := a.Item(i)
		k, _ := w.answerKey.Item(v.Item.ID)
		choice := k.Correct
		if i >= correct {
			for _, o := range v.Options {
				if o.ID != k.Correct {
					choice = o.ID
					break
				}
			}
		}
		if err := a.Choose(v.Item.ID, choice); err != nil {
			w.t.Fatal(err)
		}
	}
	if _, err := a.Submit(); err != nil {
		w.t.Fatal(err)
	}
	return a
}

func TestEndToEndScoring(t *testing.T) {
	w := newWorld(t)
	w.sit("DEMO-0001", 11)
	w.sit("DEMO-0004", 10)
	w.sit("DEMO-0003", 21)
	if failed, _ := w.uploader.DeliverAll(context.Background()); failed != 0 {
		out, _ := w.engine.Outbox()
		t.Fatalf("%d uploads failed: %+v", failed, out[0].LastError)
	}
	out, _ := w.engine.Outbox()
	for _, o := range out {
		if !o.Delivered() || len(o.ReceiptCode) != 11 {
			t.Fatalf("not delivered: %+v", o)
		}
	}
	ctx := context.Background()
	report, err := scorer.BuildReport(ctx, w.store)
	if err != nil {
		t.Fatal(err)
	}
	if len(report.Held) != 3 {
		t.Fatalf("before the answer key: %d held", len(report.Held))
	}
	if err := w.store.PutAnswerKey(ctx, w.answerKey.BankID, w.answers); err != nil {
		t.Fatal(err)
	}
	if report, err = scorer.BuildReport(ctx, w.store); err != nil {
		t.Fatal(err)
	}
	if len(report.Held) != 0 {
		t.Fatalf("held after the key was loaded: %+v", report.Held)
	}
	want := map[string]struct {
		points int
		passed bool
	}{"DEMO-0001": {11, true}, "DEMO-0004": {10, false}, "DEMO-0003": {21, true}}
	for code, exp := range want {
		c, ok := report.Results.Candidate(code)
		if !ok || len(c.Parts) != 1 || c.Parts[0].Points != exp.points || c.Parts[0].Passed != exp.passed {
			t.Fatalf("%s: %+v", code, c)
		}
	}
	// The appeal look-up finds the sheet by the receipt code the candidate wrote down.
	recs, err := w.store.SheetsByReceipt(ctx, out[0].ReceiptCode)
	if err != nil || len(recs) != 1 {
		t.Fatal(recs, err)
	}
	sn, err := scorer.NewBoard(w.store, nil).Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	appeals := sn.LookUp(recs[0].ReceiptCode)
	if len(appeals) != 1 || appeals[0].Score == nil || appeals[0].Sheet.Candidate.Code != "DEMO-0001" {
		t.Fatalf("appeal: %+v", appeals)
	}
}

// post sends a sealed sheet as terminal id, signed with key.
func (w *world) post(id string, key ssh.Signer, body []byte) (int, []byte) {
	w.t.Helper()
	return w.postTo("/v1/sheets", id, key, body)
}

// postTo sends body to path as terminal id, signed with key.
func (w *world) postTo(path, id string, key ssh.Signer, body []byte) (int, []byte) {
	w.t.Helper()
	sig, err := sheet.SignRequest(key, id, http.MethodPost, path, body)
	if err != nil {
		w.t.Fatal(err)
	}
	return w.postSignedTo(path, id, sig, body)
}

func (w *world) postSigned(id, sig string, body []byte) (int, []byte) {
	w.t.Helper()
	return w.postSignedTo("/v1/sheets", id, sig, body)
}

func (w *world) postSignedTo(path, id, sig string, body []byte) (int, []byte) {
	w.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, w.server.URL+path, bytes.NewReader(body))
	req.Header.Set(sheet.HeaderTerminal, id)
	req.Header.Set(sheet.HeaderSignature, sig)
	resp, err := w.client.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	return resp.StatusCode, buf.Bytes()
}

func (w *world) sheetCount() int {
	sheets, err := w.store.Sheets(context.Background())
	if err != nil {
		w.t.Fatal(err)
	}
	return len(sheets)
}

func TestUploadRefusals(t *testing.T) {
	w := newWorld(t)
	a := w.sit("DEMO-0001", 15)
	out, _ := w.engine.Undelivered()
	sealed := out[0].Sealed

	status, first := w.post("T-01", w.terminal, sealed)
	if status != http.StatusCreated {
		t.Fatalf("first upload: %d %s", status, first)
	}
	other, _ := newSigner(t)
	w.enrol("T-02", other)
	resealed, err := (&sheet.Sealer{Terminal: w.terminal, Scorer: w.keys.SheetRecipient}).Seal(a.Sheet(), exam.SealInfo{
		SheetID: a.ID(), Terminal: "T-01", Session: w.session.Info.ID, BankID: "demo-2026", SealedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	notJSON, err := sheet.Seal([]byte("{not json"), sheet.Header{SheetID: "s-2", Terminal: "T-01", Session: "x", BankID: "demo-2026", SealedAt: time.Now().UTC().Truncate(time.Second)}, w.terminal, w.keys.SheetRecipient)
	if err != nil && !errors.Is(err, sheet.ErrMalformed) && !errors.Is(err, sheet.ErrInvalid) {
		t.Fatal(err)
	}
	flipped := bytes.Clone(sealed)
	flipped[len(flipped)/2] ^= 1
	goodSig, _ := sheet.SignRequest(w.terminal, "T-01", http.MethodPost, "/v1/sheets", sealed)

	tests := []struct {
		name   string
		status int
		send   func() (int, []byte)
	}{
		{"replay gives the same receipt", http.StatusOK, func() (int, []byte) { return w.post("T-01", w.terminal, sealed) }},
		{"flipped byte, request signed by the terminal", http.StatusBadRequest, func() (int, []byte) { return w.post("T-01", w.terminal, flipped) }},
		{"flipped byte under the original request signature", http.StatusUnauthorized, func() (int, []byte) { return w.postSigned("T-01", goodSig, flipped) }},
		{"unknown terminal", http.StatusUnauthorized, func() (int, []byte) { return w.post("T-99", w.terminal, sealed) }},
		{"wrong terminal key", http.StatusUnauthorized, func() (int, []byte) { return w.post("T-01", other, sealed) }},
		{"another terminal's sheet", http.StatusUnauthorized, func() (int, []byte) { return w.post("T-02", other, sealed) }},
		{"no signature", http.StatusUnauthorized, func() (int, []byte) { return w.postSigned("T-01", "", sealed) }},
		{"same id, other content", http.StatusConflict, func() (int, []byte) { return w.post("T-01", w.terminal, resealed) }},
		{"oversized", http.StatusRequestEntityTooLarge, func() (int, []byte) { return w.post("T-01", w.terminal, make([]byte, sheet.MaxSealedSize+1)) }},
		{"not a sheet", http.StatusBadRequest, func() (int, []byte) { return w.post("T-01", w.terminal, []byte("hello")) }},
	}
	if notJSON != nil {
		tests = append(tests, struct {
			name   string
			status int
			send   func() (int, []byte)
		}{"plain sheet is not JSON", http.StatusBadRequest, func() (int, []byte) { return w.post("T-01", w.terminal, notJSON) }})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := tt.send()
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, body)
			}
			if tt.status == http.StatusOK && !bytes.Equal(body, first) {
				t.Fatal("a replay got another receipt")
			}
			if n := w.sheetCount(); n != 1 {
				t.Fatalf("%d sheets stored", n)
			}
		})
	}
	rec, _ := w.store.Sheet(context.Background(), a.ID())
	if !bytes.Equal(rec.Sealed, nil) && rec.SealedSHA256 == "" {
		t.Fatal("stored record damaged")
	}
}

func TestSlowClientIsCutOff(t *testing.T) {
	w := newWorld(t)
	srv := scorer.NewHTTPServer("127.0.0.1:0", w.svc.Handler())
	srv.ReadTimeout = 300 * time.Millisecond
	ts := httptest.NewUnstartedServer(w.svc.Handler())
	ts.Config = srv
	ts.TLS = scorer.TLSConfig(w.keys)
	ts.StartTLS()
	defer ts.Close()
	conn, err := tls.Dial("tcp", ts.Listener.Addr().String(), scorer.PinnedTLSConfig(w.keys.TLSCertSHA256))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.Write([]byte("POST /v1/sheets HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"))
	start := time.Now()
	buf := make([]byte, 512)
	for {
		if _, err := conn.Write([]byte("x")); err != nil {
			break
		}
		conn.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
		if n, err := conn.Read(buf); n > 0 || (err != nil && !isTimeout(err)) {
			break
		}
		if time.Since(start) > 5*time.Second {
			t.Fatal("a client trickling its body was not cut off in 5 s")
		}
	}
	if w.sheetCount() != 0 {
		t.Fatal("a sheet was stored")
	}
}

func isTimeout(err error) bool {
	var ne interface{ Timeout() bool }
	return errors.As(err, &ne) && ne.Timeout()
}
