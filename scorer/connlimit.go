package scorer

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"syscall"
	"time"
)

// connLimit keeps the connections the scorer serves to a number whose memory is small: net/http
// spends about 18 KB on each connection it serves (buffers, request, goroutine), so 10,000 kiosks
// uploading at the same instant would hold some 180 MB before a single sheet is read. Beyond the
// limit, connections are still accepted at once, into a pen where each costs a file descriptor
// and a few hundred bytes (its request waits in the kernel's socket buffer), and are served in
// arrival order as served ones close. Accepting at once matters: when the kernel's accept queue
// is full, a new connection's handshake is dropped and its client retransmits after 1, 2, 4 s…,
// so the scorer idles while thousands of kiosks back off (docs/deployment.md gives the figures).
// While connections wait, the scorer closes its idle keep-alive connections and answers with
// "Connection: close", so that a kiosk which has its receipt does not keep a place from one that
// has not.
type connLimit struct {
	net.Listener
	slots  chan struct{} // one token per served connection
	pen    chan penned   // accepted connections waiting to be served; closed when accepting ends
	closed chan struct{}
	close  sync.Once
	err    error // why accepting ended; written before pen is closed

	mu   sync.Mutex
	idle map[net.Conn]struct{}
}

// newConnLimit serves at most max connections of ln at a time and keeps up to waiting more
// accepted; beyond that, connections wait in the kernel's queue.
func newConnLimit(ln net.Listener, max, waiting int) *connLimit {
	l := &connLimit{Listener: ln, slots: make(chan struct{}, max), pen: make(chan penned, waiting),
		closed: make(chan struct{}), idle: map[net.Conn]struct{}{}}
	go l.acceptAll()
	return l
}

// acceptAll accepts connections as they come and pens them, until the listener is closed or
// fails. Like http.Server, it waits and tries again when the process is out of file
// descriptors or a connection was aborted before it was accepted.
func (l *connLimit) acceptAll() {
	defer func() {
		close(l.pen)
		for p := range l.pen {
			p.conn.Close()
		}
	}()
	var delay time.Duration
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			if transientAcceptError(err) {
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				select {
				case <-time.After(delay):
					continue
				case <-l.closed:
				}
			}
			l.err = err
			return
		}
		delay = 0
		select {
		case l.pen <- penned{c, time.Now()}:
		case <-l.closed:
			c.Close()
			l.err = net.ErrClosed
			return
		}
		if len(l.slots) == cap(l.slots) {
			l.closeIdle()
		}
	}
}

// transientAcceptError tells whether accepting may succeed if tried again later.
func transientAcceptError(err error) bool {
	var ne net.Error
	return errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) || errors.Is(err, syscall.ECONNABORTED) ||
		errors.Is(err, syscall.ENOBUFS) || errors.Is(err, syscall.ENOMEM) || (errors.As(err, &ne) && ne.Timeout())
}

// Accept returns the longest-waiting connection once the scorer serves fewer than its limit.
func (l *connLimit) Accept() (net.Conn, error) {
	select {
	case l.slots <- struct{}{}:
	case <-l.closed:
		return nil, net.ErrClosed
	}
	select {
	case p, ok := <-l.pen:
		if !ok {
			<-l.slots
			return nil, l.err
		}
		select {
		case <-l.closed:
			<-l.slots
			p.conn.Close()
			return nil, net.ErrClosed
		default:
		}
		return &limitedConn{Conn: p.conn, waited: time.Since(p.at), release: sync.OnceFunc(func() { <-l.slots })}, nil
	case <-l.closed:
		<-l.slots
		return nil, net.ErrClosed
	}
}

// Close stops accepting and closes the connections that wait, also for an Accept waiting.
func (l *connLimit) Close() error {
	l.close.Do(func() { close(l.closed) })
	return l.Listener.Close()
}

// contended tells whether accepted connections wait for a place.
func (l *connLimit) contended() bool { return len(l.pen) > 0 }

// waiting is the number of accepted connections that wait for a place.
func (l *connLimit) waiting() int64 { return int64(len(l.pen)) }

// penned is an accepted connection waiting for a place, since at.
type penned struct {
	conn net.Conn
	at   time.Time
}

// closeIdle closes the keep-alive connections that wait for a next request.
func (l *connLimit) closeIdle() {
	l.mu.Lock()
	if len(l.idle) == 0 {
		l.mu.Unlock()
		return
	}
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

// hook has srv tell the limit about its connections' states, and give its requests the time
// their connection waited.
func (l *connLimit) hook(srv *http.Server) {
	srv.ConnState = l.connState
	srv.ConnContext = connContext
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
	waited  time.Duration // in the pen, before it was served
	release func()
}

// penWaitKey is the context key of the time a connection waited in the pen (connContext).
type penWaitKey struct{}

// connContext gives the requests of a connection the time it waited in the pen
// (http.Server.ConnContext), which counts towards an upload's turn (admission.enter).
func connContext(ctx context.Context, c net.Conn) context.Context {
	if lc, ok := c.(*limitedConn); ok && lc.waited > 0 {
		return context.WithValue(ctx, penWaitKey{}, lc.waited)
	}
	return ctx
}

// penWait is how long the connection of a request waited in the pen.
func penWait(ctx context.Context) time.Duration {
	d, _ := ctx.Value(penWaitKey{}).(time.Duration)
	return d
}

func (c *limitedConn) Close() error {
	c.release()
	return c.Conn.Close()
}
