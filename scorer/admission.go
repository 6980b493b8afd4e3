package scorer

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// admission decides when an upload's body is read. A few uploads at a time are active (their
// bodies in memory, being opened or stored); the others wait their turn in arrival order with
// their bodies still unread on the connection, which costs a goroutine and a connection's
// buffers, not the sheet. An upload that would wait longer than the queue's time limit, or
// finds the queue full, is refused with 503 and a Retry-After from the rate at which sheets
// are stored: a real overload, not a burst the processors can work through.
type admission struct {
	active    chan struct{}
	queued    atomic.Int64
	maxQueued int64
	wait      time.Duration
	rate      *rateMeter
	ahead     func() int64 // uploads waiting before this queue (accepted connections); nil: none
}

// errBusy is the refusal of an upload the queue cannot take.
var errBusy = errors.New("the scorer is busy; try again")

func newAdmission(active, queued int, wait time.Duration, rate *rateMeter) *admission {
	return &admission{active: make(chan struct{}, active), maxQueued: int64(queued), wait: wait, rate: rate}
}

// enter waits for the upload's turn; on success the caller must call leave when the upload
// is answered. The time its connection waited to be served (penWait) counts towards the
// queue's time limit.
func (a *admission) enter(ctx context.Context) error {
	wait := a.wait - penWait(ctx)
	if wait <= 0 {
		return a.busy()
	}
	select {
	case a.active <- struct{}{}:
		return nil
	default:
	}
	if a.queued.Add(1) > a.maxQueued {
		a.queued.Add(-1)
		return a.busy()
	}
	defer a.queued.Add(-1)
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case a.active <- struct{}{}:
		return nil
	case <-timer.C:
		return a.busy()
	case <-ctx.Done():
		return refuse(http.StatusServiceUnavailable, "not stored: %v", ctx.Err())
	}
}

func (a *admission) leave() { <-a.active }

// depth is the number of uploads waiting for their turn, with their bodies unread or their
// connections not yet served.
func (a *admission) depth() int64 {
	n := a.queued.Load()
	if a.ahead != nil {
		n += a.ahead()
	}
	return n
}

// busy is the refusal when the queue cannot take an upload, with the time the waiting
// uploads take to drain at the rate measured.
func (a *admission) busy() error {
	return &IngestError{Status: http.StatusServiceUnavailable, Err: errBusy, RetryAfter: a.rate.drainTime(a.depth() + int64(cap(a.active)))}
}

// rateMeter counts stored sheets per second over the last few seconds.
type rateMeter struct {
	mu      sync.Mutex
	now     func() time.Time
	seconds [rateWindow]int64 // counts by Unix second modulo rateWindow
	stamps  [rateWindow]int64 // the Unix second each count belongs to
}

const rateWindow = 8

func newRateMeter(now func() time.Time) *rateMeter { return &rateMeter{now: now} }

// add counts n sheets stored now.
func (m *rateMeter) add(n int) {
	sec := m.now().Unix()
	m.mu.Lock()
	i := sec % rateWindow
	if m.stamps[i] != sec {
		m.stamps[i], m.seconds[i] = sec, 0
	}
	m.seconds[i] += int64(n)
	m.mu.Unlock()
}

// perSecond is the rate over the last full seconds of the window (0 when nothing was stored).
func (m *rateMeter) perSecond() float64 {
	sec := m.now().Unix()
	m.mu.Lock()
	defer m.mu.Unlock()
	var n int64
	for i := range rateWindow {
		if s := m.stamps[i]; s < sec && s >= sec-(rateWindow-1) {
			n += m.seconds[i]
		}
	}
	return float64(n) / (rateWindow - 1)
}

// drainTime is how long n uploads take at the measured rate, between 1 s and a minute; 5 s
// when there is no rate yet.
func (m *rateMeter) drainTime(n int64) time.Duration {
	rate := m.perSecond()
	if rate <= 0 {
		return 5 * time.Second
	}
	d := time.Duration(float64(n) / rate * float64(time.Second))
	return min(max(d, time.Second), time.Minute).Round(time.Second)
}
