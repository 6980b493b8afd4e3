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
	l := newConnLimit(ln, max)
	srv.ConnState = l.connState
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return l, "http://" + ln.Addr().String()
}

func TestConnLimitHoldsTheRestInTheKernel(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 2)
	_, url := limitedServer(t, 1, func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-release
	})
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	done := make(chan error, 2)
	for range 2 {
		go func() {
			res, err := client.Get(url)
			if err == nil {
				res.Body.Close()
			}
			done <- err
		}()
	}
	<-entered
	select {
	case <-entered:
		t.Fatal("a second connection was taken while the first held the only place")
	case <-time.After(200 * time.Millisecond):
	}
	close(release)
	<-entered // the first closed: the second is taken
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
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
	l := newConnLimit(ln, 1)
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
