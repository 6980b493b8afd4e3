package scorer_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"ispit/exam"
	"ispit/internal/sshsig"
	"ispit/scorer"
	"ispit/sheet"
)

// outageOutbox is a kiosk outbox in memory (the exam engine's own outbox is tested in exam).
// It counts deliveries so that a sheet delivered twice shows.
type outageOutbox struct {
	mu         sync.Mutex
	entries    map[string]*exam.OutboxEntry
	deliveries map[string]int
	failures   int
}

func newOutageOutbox(entries []exam.OutboxEntry) *outageOutbox {
	o := &outageOutbox{entries: map[string]*exam.OutboxEntry{}, deliveries: map[string]int{}}
	for _, e := range entries {
		o.entries[e.SheetID] = &e
	}
	return o
}

func (o *outageOutbox) Undelivered() ([]exam.OutboxEntry, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []exam.OutboxEntry
	for _, e := range o.entries {
		if !e.Delivered() {
			out = append(out, *e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SheetID < out[j].SheetID })
	return out, nil
}

func (o *outageOutbox) RecordUploadFailure(sheetID, reason string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	e, ok := o.entries[sheetID]
	if !ok {
		return fmt.Errorf("no sheet %s in the outbox", sheetID)
	}
	e.Tries++
	e.LastError = reason
	o.failures++
	return nil
}

func (o *outageOutbox) RecordDelivery(sheetID string, receipt []byte, code string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	e, ok := o.entries[sheetID]
	if !ok {
		return fmt.Errorf("no sheet %s in the outbox", sheetID)
	}
	o.deliveries[sheetID]++
	if e.Delivered() {
		return nil // the first receipt stays
	}
	e.Tries++
	e.LastError = ""
	e.Receipt = receipt
	e.ReceiptCode = code
	e.DeliveredAt = time.Now()
	return nil
}

func (o *outageOutbox) snapshot() (entries []exam.OutboxEntry, deliveries map[string]int, failures int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, e := range o.entries {
		entries = append(entries, *e)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].SheetID < entries[j].SheetID })
	deliveries = map[string]int{}
	for k, v := range o.deliveries {
		deliveries[k] = v
	}
	return entries, deliveries, o.failures
}

func (o *outageOutbox) undeliveredCount() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := 0
	for _, e := range o.entries {
		if !e.Delivered() {
			n++
		}
	}
	return n
}

// outagePlainSheet is a small valid plain sheet of a bank with no answer key at the scorer.
func outagePlainSheet(sheetID, terminal, session, bankID string, at time.Time) []byte {
	s := &exam.Sheet{
		Format:         exam.SheetFormat,
		SheetID:        sheetID,
		Terminal:       terminal,
		Session:        session,
		ProgramVersion: "outage-test",
		Candidate:      exam.SheetPerson{Code: "C-" + sheetID, Name: "Марко Марковић", Position: "KQZ-43/2023"},
		BankID:         bankID,
		ManifestSHA256: strings.Repeat("0", 64),
		Part:           "public",
		Language:       "sr-Cyrl",
		AllowanceMS:    1800000,
		UsedMS:         1800000,
		SubmittedAt:    at,
		SubmitReason:   exam.SubmitTimeOut,
		Items:          []exam.SheetItem{{ID: "q-01", Options: []string{"a", "b", "c", "d"}, Answer: "c"}},
		Events:         []exam.Event{},
	}
	return s.Marshal()
}

// TestOutageThenRecovery queues 50 sheets in a kiosk's outbox while the scorer is down (nothing
// listens on its address), runs the Uploader, brings the scorer up on that address over TLS
// pinned by the kiosk, and checks that all 50 arrive exactly once.
func TestOutageThenRecovery(t *testing.T) {
	const n = 50
	ctx := context.Background()
	dir := t.TempDir()
	keys := newKeys(t, dir)
	store, err := scorer.OpenSQLite(filepath.Join(dir, "scorer.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()

	const terminalID, session, bankID = "room-3-pc-12", "session-outage", "bank-with-no-key-yet"
	priv, pub, err := sshsig.GenerateKey(terminalID)
	if err != nil {
		t.Fatal(err)
	}
	terminal, err := ssh.ParsePrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.AddTerminal(ctx, scorer.Terminal{ID: terminalID, PublicKey: strings.TrimSpace(string(pub)), Added: time.Now()}); err != nil {
		t.Fatal(err)
	}

	// The kiosk seals and queues 50 sheets while the scorer is down.
	sealer := &sheet.Sealer{Terminal: terminal, Scorer: keys.SheetRecipient}
	queued := time.Now().UTC().Truncate(time.Second)
	var entries []exam.OutboxEntry
	sealedByID := map[string][]byte{}
	for i := range n {
		id := fmt.Sprintf("sheet-outage-%03d", i+1)
		plain := outagePlainSheet(id, terminalID, session, bankID, queued)
		sealed, err := sealer.Seal(plain, exam.SealInfo{SheetID: id, Terminal: terminalID, Session: session, BankID: bankID, SealedAt: queued})
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, exam.OutboxEntry{SheetID: id, AttemptID: id, Candidate: "C-" + id, Part: "public", Sealed: sealed, QueuedAt: queued})
		sealedByID[id] = sealed
	}
	outbox := newOutageOutbox(entries)

	// The scorer's address: free now, and nothing listens on it until the scorer comes up.
	probe, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := probe.Addr().String()
	probe.Close()

	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: scorer.PinnedTLSConfig(keys.TLSCertSHA256)}}
	defer client.CloseIdleConnections()
	up := &sheet.Uploader{
		Outbox:     outbox,
		Client:     client,
		ScorerURL:  "https://" + addr,
		TerminalID: terminalID,
		Terminal:   terminal,
		ReceiptKey: keys.Receipt.PublicKey(),
		MinBackoff: 20 * time.Millisecond,
		MaxBackoff: 200 * time.Millisecond,
	}
	runCtx, stopUploader := context.WithCancel(ctx)
	uploaderDone := make(chan struct{})
	go func() { up.Run(runCtx); close(uploaderDone) }()
	defer func() { stopUploader(); <-uploaderDone }()

	// Let the uploader fail a few rounds against the closed port.
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, _, failures := outbox.snapshot()
		if failures >= 3*n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the uploader made only %d failed attempts in 5 s while the scorer was down", failures)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got := outbox.undeliveredCount(); got != n {
		t.Fatalf("%d sheets undelivered while the scorer was down, want %d", got, n)
	}

	// The scorer comes up on the same address.
	svc := scorer.NewService(store, keys, scorer.Config{})
	defer svc.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("the scorer cannot listen on %s again: %v", addr, err)
	}
	srv := scorer.NewHTTPServer(addr, svc.Handler())
	srv.TLSConfig = scorer.TLSConfig(keys)
	served := make(chan error, 1)
	go func() { served <- srv.ServeTLS(ln, "", "") }()
	defer func() {
		shutdownCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdownCtx)
		if err := <-served; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serving: %v", err)
		}
	}()
	upAt := time.Now()
	deadline = time.Now().Add(8 * time.Second)
	for outbox.undeliveredCount() > 0 {
		if time.Now().After(deadline) {
			entries, _, _ := outbox.snapshot()
			for _, e := range entries {
				if !e.Delivered() {
					t.Fatalf("%d sheets still undelivered 8 s after the scorer came up; e.g. %s: %s", outbox.undeliveredCount(), e.SheetID, e.LastError)
				}
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	stopUploader()
	<-uploaderDone
	_, _, failures := outbox.snapshot()
	t.Logf("all %d sheets delivered %v after the scorer came up, after %d failed attempts while it was down", n, time.Since(upAt).Round(time.Millisecond), failures)

	// Every sheet arrived once: delivered once with a receipt that verifies, and stored once
	// with that receipt.
	checkStore := func(when string, receipts map[string][]byte) {
		t.Helper()
		stored, err := store.Sheets(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(stored) != n {
			t.Fatalf("%s: the store holds %d sheets, want %d", when, len(stored), n)
		}
		for _, r := range stored {
			if !bytes.Equal(r.Receipt, receipts[r.SheetID]) {
				t.Fatalf("%s: stored sheet %s has another receipt than the kiosk holds", when, r.SheetID)
			}
		}
	}
	got, deliveries, _ := outbox.snapshot()
	receipts := map[string][]byte{}
	for _, e := range got {
		if !e.Delivered() || deliveries[e.SheetID] != 1 {
			t.Fatalf("sheet %s: delivered %v, recorded %d times", e.SheetID, e.Delivered(), deliveries[e.SheetID])
		}
		r, err := sheet.VerifyReceipt(e.Receipt, keys.Receipt.PublicKey(), sealedByID[e.SheetID])
		if err != nil {
			t.Fatalf("sheet %s: receipt: %v", e.SheetID, err)
		}
		if r.SheetID != e.SheetID || r.Code != e.ReceiptCode {
			t.Fatalf("sheet %s: receipt for %s with code %s, outbox has code %s", e.SheetID, r.SheetID, r.Code, e.ReceiptCode)
		}
		receipts[e.SheetID] = e.Receipt
	}
	checkStore("after the outage", receipts)

	// Running delivery again changes nothing: nothing is left to send.
	if failed, _ := up.DeliverAll(ctx); failed != 0 {
		t.Fatalf("delivering again: %d failed", failed)
	}
	_, deliveries, _ = outbox.snapshot()
	for _, e := range got {
		if k := deliveries[e.SheetID]; k != 1 {
			t.Fatalf("after delivering again, sheet %s was recorded delivered %d times", e.SheetID, k)
		}
	}

	// A kiosk that lost its receipts (say, restored from a backup) sends all 50 again: it gets
	// the same receipts back, and the scorer still holds 50 sheets.
	resent := newOutageOutbox(entries)
	again := &sheet.Uploader{Outbox: resent, Client: client, ScorerURL: up.ScorerURL, TerminalID: terminalID, Terminal: terminal, ReceiptKey: keys.Receipt.PublicKey()}
	if failed, _ := again.DeliverAll(ctx); failed != 0 {
		e, _, _ := resent.snapshot()
		t.Fatalf("sending the 50 sheets again: %d failed, e.g. %s", failed, e[0].LastError)
	}
	second, _, _ := resent.snapshot()
	for _, e := range second {
		if !bytes.Equal(e.Receipt, receipts[e.SheetID]) {
			t.Fatalf("sheet %s sent again got another receipt", e.SheetID)
		}
	}
	checkStore("after sending again", receipts)
}
