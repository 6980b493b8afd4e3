package scorer_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"ispit/exam"
	"ispit/internal/pgtest"
	"ispit/scorer"
	"ispit/sheet"
)

// databaseOutage is a scorer serving uploads over loopback from a PostgreSQL server of its own,
// which the test stops as a crash would and starts again.
type databaseOutage struct {
	t        *testing.T
	pg       *pgtest.Server
	store    *scorer.PostgresStore
	keys     *scorer.Keys
	server   *httptest.Server
	client   *http.Client
	terminal ssh.Signer
	sealed   [][]byte
	ids      []string
}

// upload is the scorer's answer to one upload.
type upload struct {
	status     int
	retryAfter string
	body       []byte
}

const outageTerminal = "room-9-pc-01"

func newDatabaseOutage(t *testing.T, sheets int) *databaseOutage {
	ctx := context.Background()
	o := &databaseOutage{t: t, pg: pgtest.Start(t)}
	var err error
	if o.store, err = scorer.OpenPostgres(ctx, o.pg.Database(t)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.store.Close() })
	dir := t.TempDir()
	o.keys = newKeys(t, dir)
	o.terminal, _ = newSigner(t)
	line := string(bytes.TrimSpace(ssh.MarshalAuthorizedKey(o.terminal.PublicKey())))
	if err := o.store.AddTerminal(ctx, scorer.Terminal{ID: outageTerminal, PublicKey: line, Added: time.Now()}); err != nil {
		t.Fatal(err)
	}
	svc := scorer.NewService(o.store, o.keys, scorer.Config{Log: slog.New(slog.DiscardHandler)}) // the refusals are counted here
	t.Cleanup(svc.Close)
	o.server = httptest.NewUnstartedServer(svc.Handler())
	o.server.TLS = scorer.TLSConfig(o.keys)
	o.server.StartTLS()
	t.Cleanup(o.server.Close)
	o.client = &http.Client{Transport: &http.Transport{TLSClientConfig: scorer.PinnedTLSConfig(o.keys.TLSCertSHA256)}, Timeout: 20 * time.Second}
	t.Cleanup(o.client.CloseIdleConnections)

	sealer := &sheet.Sealer{Terminal: o.terminal, Scorer: o.keys.SheetRecipient}
	at := time.Now().UTC().Truncate(time.Second)
	for i := range sheets {
		id := fmt.Sprintf("sheet-db-outage-%03d", i+1)
		sealed, err := sealer.Seal(outagePlainSheet(id, outageTerminal, "session-db-outage", "bank-db-outage", at),
			exam.SealInfo{SheetID: id, Terminal: outageTerminal, Session: "session-db-outage", BankID: "bank-db-outage", SealedAt: at})
		if err != nil {
			t.Fatal(err)
		}
		o.ids, o.sealed = append(o.ids, id), append(o.sealed, sealed)
	}
	return o
}

// post uploads a sealed sheet as the terminal does; a failure to reach the scorer at all is
// a test failure, since only the database goes down.
func (o *databaseOutage) post(sealed []byte) (upload, error) {
	sig, err := sheet.SignRequest(o.terminal, outageTerminal, http.MethodPost, "/v1/sheets", sealed)
	if err != nil {
		return upload{}, err
	}
	req, err := http.NewRequest(http.MethodPost, o.server.URL+"/v1/sheets", bytes.NewReader(sealed))
	if err != nil {
		return upload{}, err
	}
	req.Header.Set(sheet.HeaderTerminal, outageTerminal)
	req.Header.Set(sheet.HeaderSignature, sig)
	resp, err := o.client.Do(req)
	if err != nil {
		return upload{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return upload{resp.StatusCode, resp.Header.Get("Retry-After"), body}, err
}

// TestPostgresOutage uploads sheets from four workers while the scorer's PostgreSQL server is
// stopped as a crash would stop it, and started again: while the database is down the scorer
// answers 503 with Retry-After, it receipts no sheet it did not commit, and it recovers by
// itself, without a restart.
func TestPostgresOutage(t *testing.T) {
	t.Parallel()
	const sheets, workers = 120, 4
	o := newDatabaseOutage(t, sheets)
	start := time.Now()

	var (
		mu       sync.Mutex
		receipts = map[string][]byte{} // by sheet id: the receipt the kiosk holds
		answers  = map[int]int{}       // HTTP status → how many
		problems []string
	)
	var succeeded, refused atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < sheets; i += workers {
				for {
					select {
					case <-stop:
						return
					default:
					}
					up, err := o.post(o.sealed[i])
					mu.Lock()
					answers[up.status]++
					switch {
					case err != nil:
						problems = append(problems, fmt.Sprintf("%s: %v", o.ids[i], err))
					case up.status == http.StatusCreated || up.status == http.StatusOK:
						if _, err := sheet.VerifyReceipt(up.body, o.keys.Receipt.PublicKey(), o.sealed[i]); err != nil {
							problems = append(problems, fmt.Sprintf("%s: receipt: %v", o.ids[i], err))
						}
						receipts[o.ids[i]] = up.body
					case up.status == http.StatusServiceUnavailable:
						if up.retryAfter != "1" || !strings.Contains(string(up.body), `"error"`) {
							problems = append(problems, fmt.Sprintf("%s: 503 with Retry-After %q: %s", o.ids[i], up.retryAfter, up.body))
						}
					default:
						problems = append(problems, fmt.Sprintf("%s: %d %s", o.ids[i], up.status, up.body))
					}
					mu.Unlock()
					if err != nil || (up.status != http.StatusCreated && up.status != http.StatusOK) {
						refused.Add(1)
						time.Sleep(20 * time.Millisecond) // the kiosk waits Retry-After; the test need not
						continue
					}
					succeeded.Add(1)
					break
				}
			}
		})
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				close(stop)
				wg.Wait()
				t.Fatalf("%s: not in 20 s (%d receipted, %d refused; %q)", what, succeeded.Load(), refused.Load(), problems)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}

	waitFor("sheets receipted before the outage", func() bool { return succeeded.Load() >= 15 })
	if err := o.pg.Stop(); err != nil {
		t.Fatal(err)
	}
	down := time.Now()
	receiptedBefore := succeeded.Load()
	waitFor("uploads refused while the database is down", func() bool { return refused.Load() >= 3*workers })
	if err := o.pg.Restart(); err != nil {
		t.Fatal(err)
	}
	restarted := time.Now()
	waitFor("every sheet receipted after the database came back", func() bool { return succeeded.Load() == sheets })
	wg.Wait()
	t.Logf("%d sheets: %d receipted before the database stopped, refused %d times while it was down for %v, all receipted %v after it came back (answers %v); %v in all",
		sheets, receiptedBefore, refused.Load(), restarted.Sub(down).Round(time.Millisecond), time.Since(restarted).Round(time.Millisecond), answers, time.Since(start).Round(time.Millisecond))
	for _, p := range problems {
		t.Error(p)
	}
	if answers[http.StatusServiceUnavailable] == 0 {
		t.Error("no upload was refused while the database was down")
	}

	// Every receipt the kiosks hold is for a sheet the database has, with that receipt: what
	// was receipted before the crash was committed.
	ctx := context.Background()
	stored, err := o.store.Sheets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != sheets || len(receipts) != sheets {
		t.Fatalf("%d sheets stored, %d receipted, want %d", len(stored), len(receipts), sheets)
	}
	for _, r := range stored {
		if !bytes.Equal(r.Receipt, receipts[r.SheetID]) {
			t.Errorf("sheet %s is stored with another receipt than its kiosk holds", r.SheetID)
		}
	}
	// A sheet sent again after the outage gets the receipt it got the first time.
	again, err := o.post(o.sealed[0])
	if err != nil || again.status != http.StatusOK || !bytes.Equal(again.body, receipts[o.ids[0]]) {
		t.Errorf("the first sheet again: %d %v", again.status, err)
	}
}
