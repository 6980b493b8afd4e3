package scorer_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"ispit/internal/sshsig"
	"ispit/scorer"
	"ispit/sheet"
)

// FuzzHandleSheet sends arbitrary bodies and signatures to POST /v1/sheets, seeded with a
// real sealed sheet of an enrolled terminal. The handler must never panic, must answer with
// one of the documented statuses, and must store only a sheet that opens.
func FuzzHandleSheet(f *testing.F) {
	dir := f.TempDir()
	keys := newKeys(f, dir)
	store, err := scorer.OpenSQLite(filepath.Join(dir, "scorer.db"))
	if err != nil {
		f.Fatal(err)
	}
	defer store.Close()
	svc := scorer.NewService(store, keys, scorer.Config{})
	defer svc.Close()
	terminal, _ := newSignerF(f)
	line := string(bytes.TrimSpace(ssh.MarshalAuthorizedKey(terminal.PublicKey())))
	store.AddTerminal(context.Background(), scorer.Terminal{ID: "T-01", PublicKey: line, Added: time.Now()})
	plain := []byte(`{"format":"ispit-sheet/1","sheet_id":"s-1","terminal":"T-01","session":"x","program_version":"t","candidate":{"code":"C","name":"N","position":"P"},"bank_id":"b","manifest_sha256":"00","part":"public","language":"bs","allowance_ms":1,"used_ms":1,"submitted_at":"2026-01-01T00:00:00Z","submit_reason":"candidate","items":null,"events":null}`)
	sealed, err := sheet.Seal(plain, sheet.Header{SheetID: "s-1", Terminal: "T-01", Session: "x", BankID: "b", SealedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}, terminal, keys.SheetRecipient)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sealed, true)
	f.Add([]byte("{}"), true)
	f.Add(sealed[:len(sealed)/2], false)
	handler := svc.Handler()
	allowed := map[int]bool{200: true, 201: true, 400: true, 401: true, 408: true, 409: true, 413: true, 503: true}
	f.Fuzz(func(t *testing.T, body []byte, sign bool) {
		req := httptest.NewRequest(http.MethodPost, "/v1/sheets", bytes.NewReader(body))
		req.Header.Set(sheet.HeaderTerminal, "T-01")
		if sign {
			sig, err := sheet.SignRequest(terminal, "T-01", http.MethodPost, "/v1/sheets", body)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set(sheet.HeaderSignature, sig)
		}
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if !allowed[rec.Code] {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		if rec.Code == 200 || rec.Code == 201 {
			if _, err := sheet.Open(body, terminal.PublicKey(), keys.SheetIdentity); err != nil {
				t.Fatalf("stored a sheet that does not open: %v", err)
			}
		}
		if _, _, err := svc.Ingest(context.Background(), body); err != nil {
			var ie *scorer.IngestError
			if !errors.As(err, &ie) {
				t.Fatalf("Ingest returned an untyped error: %v", err)
			}
		}
	})
}

func newSignerF(f *testing.F) (ssh.Signer, ssh.PublicKey) {
	_, priv, err := genKey()
	if err != nil {
		f.Fatal(err)
	}
	return priv, priv.PublicKey()
}

func genKey() ([]byte, ssh.Signer, error) {
	priv, _, err := sshsig.GenerateKey("fuzz")
	if err != nil {
		return nil, nil, err
	}
	s, err := ssh.ParsePrivateKey(priv)
	return priv, s, err
}
