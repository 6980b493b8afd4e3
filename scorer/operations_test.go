package scorer_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// get fetches a path of the world's scorer.
func (w *world) get(path string) (int, string) {
	w.t.Helper()
	res, err := w.client.Get(w.server.URL + path)
	if err != nil {
		w.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

func TestHealthTellsStorageDownFromUp(t *testing.T) {
	w := newWorld(t)
	status, body := w.get("/healthz")
	var h struct {
		Status, Storage, Error string
		Queued                 int64
	}
	if err := json.Unmarshal([]byte(body), &h); status != http.StatusOK || err != nil || h.Status != "up" || h.Storage != "ok" {
		t.Fatalf("healthy: %d %s", status, body)
	}
	w.store.Close() // the storage is gone; the service still answers
	status, body = w.get("/healthz")
	h.Error = ""
	if err := json.Unmarshal([]byte(body), &h); status != http.StatusServiceUnavailable || err != nil || h.Status != "up" || h.Storage != "down" || h.Error == "" {
		t.Fatalf("storage down: %d %s", status, body)
	}
}

func TestMetricsCountWhatHappens(t *testing.T) {
	w := newWorld(t)
	w.sit("DEMO-0001", 5)
	w.sit("DEMO-0002", 7)
	if failed, _ := w.uploader.DeliverAll(context.Background()); failed != 0 {
		t.Fatalf("%d uploads failed", failed)
	}
	out, _ := w.engine.Outbox()
	// The same sheet again is a duplicate; a sheet from an unknown terminal is refused.
	if status, _ := w.post("T-01", w.terminal, out[0].Sealed); status != http.StatusOK {
		t.Fatalf("the same sheet again: %d", status)
	}
	if status, _ := w.post("T-99", w.terminal, out[0].Sealed); status != http.StatusUnauthorized {
		t.Fatalf("an unknown terminal: %d", status)
	}
	status, body := w.get("/metrics")
	if status != http.StatusOK {
		t.Fatalf("/metrics: %d", status)
	}
	for _, want := range []string{
		`ispit_scorer_sheets_received_total{outcome="stored"} 2`,
		`ispit_scorer_sheets_received_total{outcome="duplicate"} 1`,
		`ispit_scorer_uploads_refused_total{reason="unauthorized"} 1`,
		`ispit_scorer_uploads_refused_total{reason="busy"} 0`,
		"ispit_scorer_queue_depth 0",
		"ispit_scorer_ingest_seconds_count 3",
		"ispit_scorer_store_batch_sheets_count",
		"process_resident_memory_bytes",
		"go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}
