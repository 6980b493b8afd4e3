package scorer

import (
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// limitedServer serves handler on loopback through a connLimit of max connections.
func limitedServer(t *testing.T, max int, handler http.HandlerFunc) (*connLimit, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: handler}
	l := newConnLimit(ln, max, 16)
	l.hook(srv)
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return l, "http://" + ln.Addr().String()
}

func TestConnLimitAcceptsTheRestAndServesThemInTurn(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan time.Duration, 2)
	l, url := limitedServer(t, 1, func(w http.ResponseWriter, r *http.Request) {
		entered <- penWait(r.Context())
		<-release
	})
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	done := make(chan error, 2)
	get := func() {
		res, err := client.Get(url)
		if err == nil {
			res.Body.Close()
		}
		done <- err
	}
	go get()
	if waited := <-entered; waited > 100*time.Millisecond {
		t.Errorf("the first connection waited %v", waited)
	}
	go get()
	// The second is accepted at once (not left in the kernel's queue) but not served.
	deadline := time.Now().Add(5 * time.Second)
	for !l.contended() && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if l.waiting() != 1 {
		t.Fatalf("%d connections wait, want 1", l.waiting())
	}
	select {
	case <-entered:
		t.Fatal("a second connection was served while the first held the only place")
	case <-time.After(200 * time.Millisecond):
	}
	close(release)
	if waited := <-entered; waited < 200*time.Millisecond {
		t.Errorf("the second connection's wait is %v, want at least 200ms", waited)
	}
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if l.contended() {
		t.Error("still contended")
	}
}

func TestConnLimitClosesIdleConnectionsWhenOthersWait(t *testing.T) {
	_, url := limitedServer(t, 1, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	// A keeps its connection open after its answer; B, on another connection, must not wait
	// for A's idle time-out.
	a := &http.Client{Transport: &http.Transport{}}
	b := &http.Client{Transport: &http.Transport{}, Timeout: 5 * time.Second}
	for _, c := range []*http.Client{a, b} {
		res, err := c.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
}

func TestConnLimitCloseEndsAWaitingAccept(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := newConnLimit(ln, 1, 16)
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := l.Accept(); err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() { _, err := l.Accept(); errc <- err }()
	time.Sleep(50 * time.Millisecond)
	l.Close()
	select {
	case err := <-errc:
		if err == nil {
			t.Fatal("Accept after Close returned a connection")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close left Accept waiting")
	}
}
