package scorer_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"ispit/scorer"
	"ispit/sheet"
)

// newKeys makes the scorer's keys, for a server on 127.0.0.1, in dir/keys and loads them.
func newKeys(tb testing.TB, dir string) *scorer.Keys {
	tb.Helper()
	if err := scorer.GenerateKeys(filepath.Join(dir, "keys"), []string{"127.0.0.1"}); err != nil {
		tb.Fatal(err)
	}
	keys, err := scorer.LoadKeys(filepath.Join(dir, "keys"))
	if err != nil {
		tb.Fatal(err)
	}
	return keys
}

// benchSheets seals n distinct sheets of a 21-item public exam from one enrolled terminal.
func benchSheets(b *testing.B, n int) (*scorer.Service, ssh.Signer, [][]byte, *scorer.Keys) {
	dir := b.TempDir()
	keys := newKeys(b, dir)
	store, err := scorer.OpenSQLite(filepath.Join(dir, "scorer.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	svc := scorer.NewService(store, keys, scorer.Config{})
	b.Cleanup(svc.Close)
	_, terminal, err := genKey()
	if err != nil {
		b.Fatal(err)
	}
	line := string(bytes.TrimSpace(ssh.MarshalAuthorizedKey(terminal.PublicKey())))
	store.AddTerminal(context.Background(), scorer.Terminal{ID: "T-01", PublicKey: line, Added: time.Now()})
	var items bytes.Buffer
	for i := range 21 {
		if i > 0 {
			items.WriteByte(',')
		}
		fmt.Fprintf(&items, `{"id":"pub-%02d","options":["a","b","c","d"],"answer":"b"}`, i)
	}
	sealed := make([][]byte, n)
	for i := range n {
		id := fmt.Sprintf("s-%06d", i)
		plain := fmt.Appendf(nil, `{"format":"ispit-sheet/1","sheet_id":%q,"terminal":"T-01","session":"x","program_version":"b","candidate":{"code":"C%d","name":"Name","position":"P"},"bank_id":"b","manifest_sha256":"00","part":"public","language":"bs","allowance_ms":1800000,"used_ms":1000,"submitted_at":"2026-01-01T00:00:00Z","submit_reason":"candidate","items":[%s],"events":null}`, id, i, items.Bytes())
		sealed[i], err = sheet.Seal(plain, sheet.Header{SheetID: id, Terminal: "T-01", Session: "x", BankID: "b", SealedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}, terminal, keys.SheetRecipient)
		if err != nil {
			b.Fatal(err)
		}
	}
	return svc, terminal, sealed, keys
}

// BenchmarkIngest measures the scorer's work per new sheet without HTTP: checks, decryption,
// receipt and the durable store (in parallel, so commits are shared).
func BenchmarkIngest(b *testing.B) {
	svc, _, sealed, _ := benchSheets(b, max(b.N, 1))
	b.ResetTimer()
	next := make(chan []byte, len(sealed))
	for _, s := range sealed[:b.N] {
		next <- s
	}
	close(next)
	b.SetParallelism(32)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, _, err := svc.Ingest(context.Background(), <-next); err != nil {
				b.Error(err)
			}
		}
	})
}

// BenchmarkHandleSheet adds the HTTP handler (request signature, body) without the network.
func BenchmarkHandleSheet(b *testing.B) {
	svc, terminal, sealed, _ := benchSheets(b, max(b.N, 1))
	sigs := make([]string, len(sealed))
	for i, s := range sealed {
		sigs[i], _ = sheet.SignRequest(terminal, "T-01", http.MethodPost, "/v1/sheets", s)
	}
	h := svc.Handler()
	next := make(chan int, b.N)
	for i := range b.N {
		next <- i
	}
	close(next)
	b.ResetTimer()
	b.SetParallelism(32)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := <-next
			req := httptest.NewRequest(http.MethodPost, "/v1/sheets", bytes.NewReader(sealed[i]))
			req.Header.Set(sheet.HeaderTerminal, "T-01")
			req.Header.Set(sheet.HeaderSignature, sigs[i])
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusCreated {
				b.Errorf("status %d: %s", rec.Code, rec.Body)
			}
		}
	})
}
