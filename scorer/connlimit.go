package scorer

import (
	"net"
	"net/http"
	"sync"
	"sync/atomic"
)

// connLimit keeps the connections the scorer holds to a number whose memory is small: net/http
// spends about 18 KB on each open connection (buffers, request, goroutine), so 10,000 kiosks
// uploading at the same instant would hold some 180 MB before a single sheet is read. Beyond
// the limit, connections wait in the kernel's accept queue, which costs the process nothing,
// and are taken in arrival order as held ones close. While connections wait, the scorer closes
// its idle keep-alive connections and answers with "Connection: close", so that a kiosk which
// has its receipt does not keep a place from one that has not.
type connLimit struct {
	net.Listener
	slots   chan struct{}
	closed  chan struct{}
	close   sync.Once
	waiting atomic.Int32 // Accept calls waiting for a slot

	mu   sync.Mutex
	idle map[net.Conn]struct{}
}

func newConnLimit(ln net.Listener, max int) *connLimit {
	return &connLimit{Listener: ln, slots: make(chan struct{}, max), closed: make(chan struct{}), idle: map[net.Conn]struct{}{}}
}

// Accept takes the next connection once the scorer holds fewer than its limit.
func (l *connLimit) Accept() (net.Conn, error) {
	select {
	case l.slots <- struct{}{}:
	default:
		l.waiting.Add(1)
		l.closeIdle()
		select {
		case l.slots <- struct{}{}:
			l.waiting.Add(-1)
		case <-l.closed:
			l.waiting.Add(-1)
			return nil, net.ErrClosed
		}
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &limitedConn{Conn: c, release: sync.OnceFunc(func() { <-l.slots })}, nil
}

// Close stops accepting, also an Accept waiting for a slot.
func (l *connLimit) Close() error {
	l.close.Do(func() { close(l.closed) })
	return l.Listener.Close()
}

// contended tells whether connections wait for a place.
func (l *connLimit) contended() bool { return l.waiting.Load() > 0 }

// closeIdle closes the keep-alive connections that wait for a next request.
func (l *connLimit) closeIdle() {
	l.mu.Lock()
	idle := make([]net.Conn, 0, len(l.idle))
	for c := range l.idle {
		idle = append(idle, c)
	}
	clear(l.idle)
	l.mu.Unlock()
	for _, c := range idle {
		c.Close()
	}
}

// connState follows the server's connections (http.Server.ConnState): an idle one is closed at
// once when others wait, and remembered otherwise.
func (l *connLimit) connState(c net.Conn, state http.ConnState) {
	if state == http.StateIdle && l.contended() {
		c.Close()
		return
	}
	l.mu.Lock()
	if state == http.StateIdle {
		l.idle[c] = struct{}{}
	} else {
		delete(l.idle, c)
	}
	l.mu.Unlock()
}

// limitedConn gives its place back when it closes.
type limitedConn struct {
	net.Conn
	release func()
}

func (c *limitedConn) Close() error {
	c.release()
	return c.Conn.Close()
}
