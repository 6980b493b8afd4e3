package main

// The replicas' load balancer in the tests: a small round-robin HTTP reverse proxy, run as a
// process of its own (the test binary started again with lgProxyEnv set), so that its
// connections and CPU time are its own, as a load balancer's are.

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// lgProxyEnv, set to the backends' addresses (HOST:PORT,HOST:PORT…), makes the test binary
// run the proxy (lgProxyMain) instead of the tests.
const lgProxyEnv = "ISPIT_TEST_PROXY_BACKENDS"

// lgProxyConns bounds the proxy's connections to each backend, as a load balancer's pool
// does; requests beyond it wait in the proxy for a connection. It keeps the proxy within its
// open-file limit when 10,000 kiosks connect at once, and is below the connections a scorer
// holds.
const lgProxyConns = 1024

// lgBalancer sends each request to the next backend in turn. It never sends a request again:
// when its backend cannot be reached or fails before answering, the client gets 502 Bad
// Gateway, and retrying is the client's business, as with a kiosk behind a TCP load balancer.
type lgBalancer struct {
	backends []*url.URL
	proxies  []*httputil.ReverseProxy
	next     atomic.Uint64
	requests []atomic.Int64 // per backend
	failed   []atomic.Int64 // per backend: answered 502
}

// newLgBalancer makes the balancer over backends (HOST:PORT, plain HTTP).
func newLgBalancer(backends []string) (*lgBalancer, error) {
	b := &lgBalancer{requests: make([]atomic.Int64, len(backends)), failed: make([]atomic.Int64, len(backends))}
	for i, addr := range backends {
		target, err := url.Parse("http://" + addr)
		if err != nil || target.Host == "" {
			return nil, fmt.Errorf("backend %q: not HOST:PORT (%v)", addr, err)
		}
		transport := &http.Transport{
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			MaxConnsPerHost:     lgProxyConns,
			MaxIdleConnsPerHost: lgProxyConns,
			IdleConnTimeout:     time.Minute,
			DisableCompression:  true,
		}
		b.backends = append(b.backends, target)
		b.proxies = append(b.proxies, &httputil.ReverseProxy{
			Rewrite:   func(r *httputil.ProxyRequest) { r.SetURL(target) },
			Transport: transport,
			ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
				b.failed[i].Add(1)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadGateway)
				json.NewEncoder(w).Encode(map[string]string{"error": "backend " + target.Host + ": " + err.Error()})
			},
		})
	}
	if len(b.backends) == 0 {
		return nil, errors.New("no backends")
	}
	return b, nil
}

// ServeHTTP passes the request to the next backend.
func (b *lgBalancer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i := int((b.next.Add(1) - 1) % uint64(len(b.backends)))
	b.requests[i].Add(1)
	b.proxies[i].ServeHTTP(w, r)
}

// String tells what each backend was sent and how often it failed.
func (b *lgBalancer) String() string {
	var parts []string
	for i, t := range b.backends {
		parts = append(parts, fmt.Sprintf("%s: %d requests, %d answered 502", t.Host, b.requests[i].Load(), b.failed[i].Load()))
	}
	return strings.Join(parts, "; ")
}

// lgProxyMain is the proxy process: it listens on a free loopback port, prints "listening
// ADDR" as its first line, serves until SIGTERM, and then prints its figures.
func lgProxyMain(backends []string) int {
	b, err := newLgBalancer(backends)
	if err != nil {
		fmt.Fprintln(os.Stderr, "proxy:", err)
		return 2
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "proxy:", err)
		return 1
	}
	srv := &http.Server{Handler: b, ReadHeaderTimeout: 10 * time.Second}
	fmt.Printf("listening %s\n", ln.Addr())
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	go srv.Serve(ln)
	<-stop
	srv.Close()
	fmt.Println(b)
	return 0
}

// lgProxy is the proxy process as the test sees it.
type lgProxy struct {
	Addr   string
	cmd    *exec.Cmd
	out    *bufio.Reader
	exited chan struct{}
}

// lgStartProxy starts the proxy over the backends' addresses and waits until it listens. It is
// killed when the test ends, and with the test binary.
func lgStartProxy(t testing.TB, backends []string) *lgProxy {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	logFile, err := os.Create(filepath.Join(t.TempDir(), "proxy.log"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { logFile.Close() })
	p := &lgProxy{cmd: exec.Command(exe), exited: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), lgProxyEnv+"="+strings.Join(backends, ","))
	p.cmd.Stderr = logFile
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p.out = bufio.NewReader(stdout)
	line, err := p.out.ReadString('\n')
	if err != nil {
		p.cmd.Process.Kill()
		p.cmd.Wait()
		data, _ := os.ReadFile(logFile.Name())
		t.Fatalf("the proxy did not start: %v\n%s", err, data)
	}
	p.Addr = strings.TrimSpace(strings.TrimPrefix(line, "listening "))
	go func() { p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.exited
	})
	return p
}

// URL is the proxy's base URL.
func (p *lgProxy) URL() string { return "http://" + p.Addr }

// PID is the proxy's process id.
func (p *lgProxy) PID() int { return p.cmd.Process.Pid }

// Stop stops the proxy and returns its figures: requests and 502s per backend.
func (p *lgProxy) Stop(t testing.TB) string {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	figures, _ := p.out.ReadString('\n')
	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
		t.Error("the proxy did not stop on SIGTERM")
	}
	return strings.TrimSpace(figures)
}

// TestBalancer checks the proxy the replica tests run behind: requests go to the backends in
// turn, and one for a backend that is down gets 502 at once and is not sent to another.
func TestBalancer(t *testing.T) {
	var up [2]atomic.Int64
	var backends []string
	for i := range up {
		srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			up[i].Add(1)
			fmt.Fprintf(w, "backend %d", i)
		})}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go srv.Serve(ln)
		t.Cleanup(func() { srv.Close() })
		backends = append(backends, ln.Addr().String())
	}
	down := lgFreeAddr(t) // nothing listens there
	b, err := newLgBalancer([]string{backends[0], down, backends[1]})
	if err != nil {
		t.Fatal(err)
	}
	front := &http.Server{Handler: b}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go front.Serve(ln)
	defer front.Close()
	client := &http.Client{Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	tests := []struct {
		status int
		body   string
	}{
		{http.StatusOK, "backend 0"},
		{http.StatusBadGateway, "backend " + down},
		{http.StatusOK, "backend 1"},
		{http.StatusOK, "backend 0"},
		{http.StatusBadGateway, "backend " + down},
	}
	for i, tt := range tests {
		resp, err := client.Post("http://"+ln.Addr().String()+"/v1/sheets", "application/octet-stream", strings.NewReader("sheet"))
		if err != nil {
			t.Fatal(err)
		}
		var body strings.Builder
		bufio.NewReader(resp.Body).WriteTo(&body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || !strings.Contains(body.String(), tt.body) {
			t.Errorf("request %d: %d %s, want %d %s", i+1, resp.StatusCode, body.String(), tt.status, tt.body)
		}
	}
	if up[0].Load() != 2 || up[1].Load() != 1 {
		t.Errorf("the backends that are up got %d and %d requests, want 2 and 1: a request for the one down was sent elsewhere", up[0].Load(), up[1].Load())
	}
	if got, want := b.String(), down+": 2 requests, 2 answered 502"; !strings.Contains(got, want) {
		t.Errorf("figures %q, want them to say %q", got, want)
	}
}
