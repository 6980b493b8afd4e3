package scorer_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"filippo.io/age"
	"filippo.io/age/agessh"
	"golang.org/x/crypto/ssh"

	"ispit/exam"
	"ispit/scorer"
	"ispit/sheet"
)

// clock is a settable time for the scorer.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// spareTerminal is an enrolled spare terminal: its key as a signer and as an age identity.
type spareTerminal struct {
	id     string
	signer ssh.Signer
	age    age.Identity
}

func newSpare(t *testing.T, w *world, id string) spareTerminal {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	ident, err := agessh.NewEd25519Identity(priv)
	if err != nil {
		t.Fatal(err)
	}
	w.enrol(id, signer)
	return spareTerminal{id, signer, ident}
}

// sendCheckpoint seals the attempt's checkpoint seq as T-01 and posts it.
func (w *world) sendCheckpoint(a *exam.Attempt, seq int64) (int, sheet.CheckpointAnswer) {
	w.t.Helper()
	cp, err := a.Checkpoint(seq)
	if err != nil {
		w.t.Fatal(err)
	}
	sealed, err := sheet.SealCheckpoint(cp, w.terminal, w.keys.SheetRecipient)
	if err != nil {
		w.t.Fatal(err)
	}
	status, body := w.postTo("/v1/checkpoints", "T-01", w.terminal, sealed)
	var answer sheet.CheckpointAnswer
	if err := json.Unmarshal(body, &answer); err != nil {
		w.t.Fatalf("checkpoint answer %d %q: %v", status, body, err)
	}
	return status, answer
}

// askHandover asks the scorer, as the spare, for the candidate's attempt.
func (w *world) askHandover(spare spareTerminal, candidate, nonce string, at time.Time) (int, []byte) {
	w.t.Helper()
	body := fmt.Appendf(nil, `{"format":%q,"candidate":%q,"nonce":%q,"at":%q}`, sheet.FormatHandoverRequest, candidate, nonce, at.UTC().Format(time.RFC3339))
	return w.postTo("/v1/handovers", spare.id, spare.signer, body)
}

func newNonce() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// reason is the reason code of a refused hand-over.
func reason(t *testing.T, body []byte) scorer.HandoverRefusal {
	t.Helper()
	var r scorer.HandoverRefusal
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("refusal %q: %v", body, err)
	}
	return r
}

func TestCheckpointsAndHandover(t *testing.T) {
	clk := &clock{t: time.Now()}
	w := newWorldWith(t, scorer.Config{Now: clk.now, HandoverSilence: time.Minute})
	spare := newSpare(t, w, "T-SPARE")
	a, err := w.session.Admit("DEMO-0001", "public")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Begin("sr-Cyrl"); err != nil {
		t.Fatal(err)
	}
	v, _ := a.Item(0)
	if err := a.Choose(v.Item.ID, v.Options[1].ID); err != nil {
		t.Fatal(err)
	}

	// Checkpoints: the first is stored, the same number again is stale, a newer one stored.
	for _, c := range []struct {
		seq    int64
		status string
	}{{1, sheet.CheckpointStatusStored}, {1, sheet.CheckpointStatusStale}, {2, sheet.CheckpointStatusStored}} {
		if code, ans := w.sendCheckpoint(a, c.seq); code != http.StatusOK || ans.Status != c.status || ans.Terminal != "T-01" {
			t.Fatalf("checkpoint %d: %d %+v, want %s", c.seq, code, ans, c.status)
		}
	}
	// A checkpoint of T-01 sent by the spare (signed by it) is refused: it is not its attempt.
	cp, _ := a.Checkpoint(3)
	sealed, _ := sheet.SealCheckpoint(cp, w.terminal, w.keys.SheetRecipient)
	if code, _ := w.postTo("/v1/checkpoints", spare.id, spare.signer, sealed); code != http.StatusUnauthorized {
		t.Errorf("T-01's checkpoint from the spare: %d", code)
	}

	// T-01 is still sending: no hand-over yet, and the spare is told for how long it has been silent.
	code, body := w.askHandover(spare, "DEMO-0001", newNonce(), clk.now())
	if r := reason(t, body); code != http.StatusConflict || r.Reason != scorer.HandoverStillAlive || r.Terminal != "T-01" || r.NeededS != 60 {
		t.Fatalf("while T-01 sends: %d %+v", code, r)
	}
	if code, body := w.askHandover(spare, "NOBODY", newNonce(), clk.now()); code != http.StatusNotFound || reason(t, body).Reason != scorer.HandoverNoAttempt {
		t.Fatalf("an unknown candidate: %d %s", code, body)
	}
	// An unenrolled terminal is refused before anything is looked at.
	stranger := spareTerminal{id: "T-STRANGER", signer: spare.signer}
	if code, _ := w.askHandover(stranger, "DEMO-0001", newNonce(), clk.now()); code != http.StatusUnauthorized {
		t.Fatalf("an unenrolled terminal: %d", code)
	}

	// T-01 dies; after a minute of silence the spare gets the attempt, sealed to it.
	clk.add(61 * time.Second)
	if code, body := w.askHandover(spare, "DEMO-0001", newNonce(), clk.now().Add(-10*time.Minute)); code != http.StatusBadRequest {
		t.Fatalf("a request from ten minutes ago: %d %s", code, body)
	}
	nonce := newNonce()
	code, file := w.askHandover(spare, "DEMO-0001", nonce, clk.now())
	if code != http.StatusOK {
		t.Fatalf("hand-over: %d %s", code, file)
	}
	opened, err := sheet.OpenHandover(file, spare.age, spare.id, nonce, w.receiptKey)
	if err != nil {
		t.Fatal(err)
	}
	if h := opened.Handover; h.From != "T-01" || h.To != "T-SPARE" || h.Seq != 2 || opened.Checkpoint.AttemptID != a.ID() || opened.Checkpoint.Answered() != 1 {
		t.Fatalf("handed over %+v, checkpoint %+v", h, opened.Checkpoint)
	}
	if _, err := sheet.OpenHandover(file, w.keys.SheetIdentity, spare.id, nonce, w.receiptKey); err == nil {
		t.Error("the scorer's own key opened a hand-over sealed to the spare")
	}
	// The same request again is refused; a new one is answered again (the answer may have been lost).
	if code, body := w.askHandover(spare, "DEMO-0001", nonce, clk.now()); code != http.StatusConflict || reason(t, body).Reason != scorer.HandoverReplayed {
		t.Fatalf("a replayed request: %d %s", code, body)
	}
	if code, _ := w.askHandover(spare, "DEMO-0001", newNonce(), clk.now()); code != http.StatusOK {
		t.Fatalf("asked again before the spare sent anything: %d", code)
	}

	// T-01 comes back: its checkpoints and its sheet are refused with 410, nothing is stored.
	if code, ans := w.sendCheckpoint(a, 3); code != http.StatusGone || ans.Status != sheet.CheckpointStatusMoved || ans.Terminal != "T-SPARE" {
		t.Fatalf("T-01's checkpoint after the move: %d %+v", code, ans)
	}
	if _, err := a.Submit(); err != nil {
		t.Fatal(err)
	}
	out, _ := w.engine.Undelivered()
	if code, body := w.post("T-01", w.terminal, out[0].Sealed); code != http.StatusGone || !strings.Contains(string(body), "moved to terminal T-SPARE") {
		t.Fatalf("T-01's late sheet: %d %s", code, body)
	}
	if n := w.sheetCount(); n != 0 {
		t.Fatalf("%d sheets stored", n)
	}
	rec, err := w.store.Attempt(context.Background(), a.ID())
	if err != nil || rec.Terminal != "T-SPARE" || rec.MovedFrom != "T-01" {
		t.Fatalf("the scorer's record: %+v %v", rec, err)
	}
	audit, _ := w.store.Audit(context.Background(), 0, 10)
	if len(audit) != 2 || audit[1].Action != scorer.AuditAttemptMoved || audit[1].Actor != "terminal:T-SPARE" || audit[1].Detail["from"] != "T-01" || audit[0].Detail["from"] != "T-01" {
		t.Fatalf("audit %+v", audit)
	}
}

func TestSecretaryConfirmationLetsAnAttemptMoveAtOnce(t *testing.T) {
	clk := &clock{t: time.Now()}
	w := newWorldWith(t, scorer.Config{Now: clk.now})
	spare := newSpare(t, w, "T-SPARE")
	a, _ := w.session.Admit("DEMO-0001", "public")
	a.Begin("bs")
	if code, _ := w.sendCheckpoint(a, 1); code != http.StatusOK {
		t.Fatal(code)
	}
	ctx := context.Background()
	if err := w.store.ConfirmMove(ctx, a.ID(), "tajnica", clk.now(), scorer.Audit("tajnica", scorer.AuditMoveConfirmed, "DEMO-0001", clk.now(), nil)); err != nil {
		t.Fatal(err)
	}
	nonce := newNonce()
	code, file := w.askHandover(spare, "DEMO-0001", nonce, clk.now())
	if code != http.StatusOK {
		t.Fatalf("with the confirmation: %d %s", code, file)
	}
	opened, err := sheet.OpenHandover(file, spare.age, spare.id, nonce, w.receiptKey)
	if err != nil || opened.Handover.ConfirmedBy != "tajnica" {
		t.Fatalf("%+v %v", opened, err)
	}
	// A submitted attempt is not handed over.
	b, _ := w.session.Admit("DEMO-0002", "public")
	b.Begin("bs")
	w.sendCheckpoint(b, 1)
	b.Submit()
	out, _ := w.engine.Undelivered()
	for _, e := range out {
		if e.AttemptID == b.ID() {
			if code, body := w.post("T-01", w.terminal, e.Sealed); code != http.StatusCreated {
				t.Fatalf("b's sheet: %d %s", code, body)
			}
		}
	}
	clk.add(time.Hour)
	if code, body := w.askHandover(spare, "DEMO-0002", newNonce(), clk.now()); code != http.StatusConflict || reason(t, body).Reason != scorer.HandoverSubmitted {
		t.Fatalf("a submitted attempt: %d %s", code, body)
	}
}

func TestAdmissionCheckNamesTheOtherTerminal(t *testing.T) {
	w := newWorld(t)
	spare := newSpare(t, w, "T-02")
	a, _ := w.session.Admit("DEMO-0003", "public")
	a.Begin("sr-Cyrl")
	if code, _ := w.sendCheckpoint(a, 1); code != http.StatusOK {
		t.Fatal(code)
	}
	ask := func(terminal string, signer ssh.Signer, body string) (int, sheet.AdmissionAnswer) {
		t.Helper()
		code, data := w.postTo("/v1/admissions", terminal, signer, []byte(body))
		var ans sheet.AdmissionAnswer
		if code == http.StatusOK {
			if err := json.Unmarshal(data, &ans); err != nil {
				t.Fatal(err)
			}
		}
		return code, ans
	}
	check := func(candidate, part string) string {
		return fmt.Sprintf(`{"format":%q,"bank_id":%q,"candidate":%q,"part":%q}`, sheet.FormatAdmissionCheck, w.session.Bank.Manifest.BankID, candidate, part)
	}
	if code, ans := ask("T-02", spare.signer, check("DEMO-0003", "public")); code != http.StatusOK || ans.Terminal != "T-01" || ans.State != exam.StateRunning || ans.Attempt != a.ID() {
		t.Fatalf("from another terminal: %d %+v", code, ans)
	}
	for name, body := range map[string]string{"its own terminal": check("DEMO-0003", "public"), "another candidate": check("DEMO-0004", "public"), "another part": check("DEMO-0003", "professional")} {
		signer, terminal := spare.signer, "T-02"
		if name == "its own terminal" {
			signer, terminal = w.terminal, "T-01"
		}
		if code, ans := ask(terminal, signer, body); code != http.StatusOK || ans.Attempt != "" {
			t.Errorf("%s: %d %+v", name, code, ans)
		}
	}
	a.Submit()
	out, _ := w.engine.Undelivered()
	w.post("T-01", w.terminal, out[0].Sealed)
	if _, ans := ask("T-02", spare.signer, check("DEMO-0003", "public")); ans.State != exam.StateSubmitted {
		t.Errorf("after the sheet arrived: %+v", ans)
	}
	if code, _ := ask("T-02", spare.signer, `{"format":"ispit-admission-check/1","candidate":"x"}`); code != http.StatusBadRequest {
		t.Errorf("a malformed check: %d", code)
	}
}
