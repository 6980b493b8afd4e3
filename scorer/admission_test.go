package scorer

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"ispit/sheet"
)

func TestAdmissionQueuesThenRefuses(t *testing.T) {
	clock := time.Unix(1_800_000_000, 0)
	rate := newRateMeter(func() time.Time { return clock })
	a := newAdmission(1, 2, time.Hour, rate)
	ctx := context.Background()
	if err := a.enter(ctx); err != nil {
		t.Fatal(err)
	}
	// Two wait their turn, in order; a third finds the queue full.
	order := make(chan int, 2)
	for i := range 2 {
		go func() {
			if err := a.enter(ctx); err != nil {
				t.Error(err)
				return
			}
			order <- i
		}()
		for a.depth() != int64(i+1) {
			time.Sleep(time.Millisecond)
		}
	}
	err := a.enter(ctx)
	var ie *IngestError
	if !errors.As(err, &ie) || ie.Status != http.StatusServiceUnavailable || !errors.Is(err, errBusy) {
		t.Fatalf("a full queue: %v", err)
	}
	if ie.RetryAfter != 5*time.Second {
		t.Errorf("Retry-After with no rate measured: %v", ie.RetryAfter)
	}
	a.leave()
	if first := <-order; first != 0 {
		t.Errorf("upload %d went first", first)
	}
	a.leave()
	if second := <-order; second != 1 {
		t.Errorf("upload %d went second", second)
	}
}

func TestAdmissionWaitsAtMostQueueWait(t *testing.T) {
	a := newAdmission(1, 10, 30*time.Millisecond, newRateMeter(time.Now))
	if err := a.enter(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := a.enter(context.Background()); !errors.Is(err, errBusy) {
		t.Fatalf("after the queue's wait: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var ie *IngestError
	if err := a.enter(ctx); !errors.As(err, &ie) || ie.Status != http.StatusServiceUnavailable || errors.Is(err, errBusy) {
		t.Fatalf("a client gone: %v", err)
	}
	if a.depth() != 0 {
		t.Errorf("%d left in the queue", a.depth())
	}
}

func TestAdmissionCountsTheWaitBeforeTheConnectionWasServed(t *testing.T) {
	clock := time.Unix(1_800_000_000, 0)
	rate := newRateMeter(func() time.Time { return clock })
	rate.add(700) // 100 sheets a second over the window
	clock = clock.Add(time.Second)
	a := newAdmission(4, 10, 15*time.Second, rate)
	a.ahead = func() int64 { return 996 }
	late := context.WithValue(context.Background(), penWaitKey{}, 15*time.Second)
	err := a.enter(late)
	var ie *IngestError
	if !errors.As(err, &ie) || !errors.Is(err, errBusy) {
		t.Fatalf("a connection that waited the whole turn in the pen: %v", err)
	}
	if ie.RetryAfter != 10*time.Second { // (996 waiting + 4 active) / 100 per second
		t.Errorf("Retry-After %v, want 10s", ie.RetryAfter)
	}
	early := context.WithValue(context.Background(), penWaitKey{}, 14*time.Second)
	if err := a.enter(early); err != nil {
		t.Fatalf("a connection with a second of its turn left: %v", err)
	}
	if a.depth() != 996 {
		t.Errorf("depth %d, want the 996 connections waiting", a.depth())
	}
}

func TestRateMeterDrainTime(t *testing.T) {
	clock := time.Unix(1_800_000_000, 0)
	m := newRateMeter(func() time.Time { return clock })
	for range rateWindow {
		m.add(700)
		clock = clock.Add(time.Second)
	}
	if r := m.perSecond(); r != 700 {
		t.Fatalf("rate %v, want 700", r)
	}
	for _, tc := range []struct {
		waiting int64
		want    time.Duration
	}{
		{0, time.Second},
		{700, time.Second},
		{7000, 10 * time.Second},
		{10_000_000, time.Minute},
	} {
		if got := m.drainTime(tc.waiting); got != tc.want {
			t.Errorf("%d waiting: %v, want %v", tc.waiting, got, tc.want)
		}
	}
	clock = clock.Add(time.Hour)
	if r := m.perSecond(); r != 0 {
		t.Errorf("an hour later the rate is %v", r)
	}
}

// newInternalService is a service over a new SQLite store, with new keys.
func newInternalService(t *testing.T) *Service {
	t.Helper()
	dir := t.TempDir()
	if err := GenerateKeys(filepath.Join(dir, "keys"), []string{"127.0.0.1"}); err != nil {
		t.Fatal(err)
	}
	keys, err := LoadKeys(filepath.Join(dir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	store, err := OpenSQLite(filepath.Join(dir, "scorer.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	s := NewService(store, keys, Config{})
	t.Cleanup(s.Close)
	return s
}

func TestAnUploadCutShortIsRefused(t *testing.T) {
	s := newInternalService(t)
	req := httptest.NewRequest(http.MethodPost, "/v1/sheets", io.MultiReader(bytes.NewReader(make([]byte, 500)), iotest.ErrReader(io.ErrUnexpectedEOF)))
	req.ContentLength = 1000
	req.Header.Set(sheet.HeaderTerminal, "T-01")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestTimeout || !strings.Contains(rec.Body.String(), "reading the upload") {
		t.Errorf("status %d: %s", rec.Code, rec.Body)
	}
	if len(s.admit.active) != 0 {
		t.Errorf("%d uploads left active", len(s.admit.active))
	}
}

func TestAnUploadsBodyIsHeldAtItsLength(t *testing.T) {
	for _, length := range []int64{1, 17_000, sheet.MaxSealedSize} {
		req := httptest.NewRequest(http.MethodPost, "/v1/sheets", bytes.NewReader(make([]byte, length)))
		body, err := readBody(httptest.NewRecorder(), req, sheet.MaxSealedSize)
		if err != nil || int64(len(body)) != length || cap(body) != len(body) {
			t.Errorf("a body of %d bytes: read %d into %d (%v)", length, len(body), cap(body), err)
		}
	}
}
