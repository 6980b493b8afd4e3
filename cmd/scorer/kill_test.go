package main

import (
	"bytes"
	"context"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"ispit/scorer"
	"ispit/sheet"
)

// TestKillMidLoad kills the real scorer with SIGKILL in the middle of a load, several times,
// and checks after each restart that every sheet it receipted is stored with the same
// receipt, and that every sheet in flight at the kill is either wholly stored or not at all.
func TestKillMidLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the scorer binary")
	}
	const (
		rounds    = 3
		terminals = 4
		perRound  = 400 // sheets ready for each round; the kill comes well before they run out
		workers   = 16  // concurrent uploads
	)
	start := time.Now()
	data := t.TempDir()
	bin, keys := lgScorerWithKeys(t, data)
	pubLine, err := os.ReadFile(filepath.Join(data, "keys", "receipt.pub"))
	if err != nil {
		t.Fatal(err)
	}
	receiptKey, _, _, _, err := ssh.ParseAuthorizedKey(pubLine)
	if err != nil {
		t.Fatal(err)
	}
	terms := lgNewTerminals(t, terminals, "kill")
	lgEnrolCLI(t, bin, data, terms)
	sheets := lgSealSheets(t, terms, keys.SheetRecipient, "kill", rounds*perRound, 3)
	t.Logf("built the scorer, enrolled %d terminals and sealed %d sheets in %v", terminals, len(sheets), time.Since(start).Round(time.Millisecond))

	srv := &lgScorer{Bin: bin, Data: data, Addr: lgFreeAddr(t)}
	receipts := map[string][]byte{} // every sheet the scorer receipted, with its receipt
	var pending []*lgSheet          // sheets whose upload was cut off by a kill
	byID := map[string]*lgSheet{}
	for _, s := range sheets {
		byID[s.ID] = s
	}

	// check re-uploads, after a restart, every sheet receipted so far and every sheet that was
	// in flight at the last kill.
	check := func(round int) {
		t.Helper()
		client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
		defer client.CloseIdleConnections()
		for id, want := range receipts {
			res, err := lgPost(context.Background(), client, srv.URL(), byID[id])
			if err != nil {
				t.Fatalf("round %d: re-uploading receipted sheet %s: %v", round, id, err)
			}
			if res.Status != http.StatusOK || !bytes.Equal(res.Body, want) {
				t.Fatalf("round %d: receipted sheet %s re-uploaded after the kill: status %d (want 200 with the same receipt; same receipt: %v): %s",
					round, id, res.Status, bytes.Equal(res.Body, want), res.Body)
			}
		}
		var present, absent int
		for _, s := range pending {
			res, err := lgPost(context.Background(), client, srv.URL(), s)
			if err != nil {
				t.Fatalf("round %d: re-uploading in-flight sheet %s: %v", round, s.ID, err)
			}
			switch res.Status {
			case http.StatusOK:
				present++ // stored before the kill, receipt lost on the way
			case http.StatusCreated:
				absent++ // not stored before the kill
			default:
				t.Fatalf("round %d: sheet in flight at the kill re-uploaded: status %d (want 201 or 200): %s", round, res.Status, res.Body)
			}
			if _, err := sheet.VerifyReceipt(res.Body, receiptKey, s.Sealed); err != nil {
				t.Fatalf("round %d: receipt of sheet %s: %v", round, s.ID, err)
			}
			receipts[s.ID] = res.Body
		}
		t.Logf("%v after kill %d: %d receipted sheets all there with the same receipt; of %d in flight at the kill, %d were stored and %d were not",
			time.Since(start).Round(time.Millisecond), round, len(receipts)-len(pending), len(pending), present, absent)
		pending = nil
	}

	for round := 1; round <= rounds; round++ {
		srv.Start(t)
		if round > 1 {
			check(round - 1)
		}
		pool := sheets[(round-1)*perRound : round*perRound]
		var (
			next     atomic.Int64
			got      atomic.Int64
			mu       sync.Mutex
			receiptd = map[string][]byte{}
			cut      []*lgSheet
			failures []string
			wg       sync.WaitGroup
		)
		transport := &http.Transport{MaxIdleConnsPerHost: workers}
		client := &http.Client{Timeout: 10 * time.Second, Transport: transport}
		ctx, cancel := context.WithCancel(context.Background())
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil {
					i := int(next.Add(1)) - 1
					if i >= len(pool) {
						return
					}
					s := pool[i]
					res, err := lgPost(ctx, client, srv.URL(), s)
					mu.Lock()
					switch {
					case err != nil:
						cut = append(cut, s) // the kill, or the end of the round
					case res.Status == http.StatusCreated:
						if _, err := sheet.VerifyReceipt(res.Body, receiptKey, s.Sealed); err != nil {
							failures = append(failures, s.ID+": receipt: "+err.Error())
						} else {
							receiptd[s.ID] = res.Body
							got.Add(1)
						}
					default:
						// A new sheet must be stored (201) or, if the scorer sheds load, retried later.
						if res.Status != http.StatusServiceUnavailable {
							failures = append(failures, s.ID+": unexpected status "+http.StatusText(res.Status))
						}
						cut = append(cut, s)
					}
					mu.Unlock()
					if err != nil {
						return
					}
				}
			}()
		}
		// Kill once a random number of receipts is out, mid-load.
		killAt := int64(40 + rand.IntN(200))
		deadline := time.Now().Add(10 * time.Second)
		for got.Load() < killAt && time.Now().Before(deadline) && next.Load() < int64(len(pool)) {
			time.Sleep(time.Millisecond)
		}
		if next.Load() >= int64(len(pool)) {
			t.Fatalf("round %d: the load ran out before the kill; make perRound larger", round)
		}
		srv.Kill(t)
		wg.Wait()
		cancel()
		transport.CloseIdleConnections()
		if len(failures) > 0 {
			t.Fatalf("round %d: %d failed uploads, e.g. %s", round, len(failures), failures[0])
		}
		// Sheets never sent are left alone; only those sent and not receipted are in doubt.
		for id, r := range receiptd {
			receipts[id] = r
		}
		pending = cut
		t.Logf("%v kill %d: SIGKILL after %d receipts (target %d), %d uploads cut off", time.Since(start).Round(time.Millisecond), round, len(receiptd), killAt, len(cut))
	}
	srv.Start(t)
	check(rounds)
	srv.Stop(t)

	// The store holds exactly the receipted sheets, each once, with the receipt sent.
	store, err := scorer.OpenSQLite(filepath.Join(data, "scorer.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	stored, err := store.Sheets(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != len(receipts) {
		t.Fatalf("the store holds %d sheets, want the %d receipted", len(stored), len(receipts))
	}
	for _, r := range stored {
		if want, ok := receipts[r.SheetID]; !ok || !bytes.Equal(r.Receipt, want) {
			t.Fatalf("stored sheet %s: receipted %v, same receipt %v", r.SheetID, ok, bytes.Equal(r.Receipt, want))
		}
	}
}
