package main

// Helpers of the kill and load tests: synthetic terminals and sheets, the real scorer binary
// as a child process, and signed uploads over real HTTP.

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"filippo.io/age"
	"golang.org/x/crypto/ssh"

	"ispit/exam"
	"ispit/internal/sshsig"
	"ispit/scorer"
	"ispit/sheet"
)

// lgTerminal is a synthetic kiosk: its id and its terminal key.
type lgTerminal struct {
	ID      string
	Signer  ssh.Signer
	PubLine []byte // authorized_keys line, as a .pub file holds it
}

// lgNewTerminals makes n terminals with fresh Ed25519 keys, named prefix-0001 ….
func lgNewTerminals(t testing.TB, n int, prefix string) []*lgTerminal {
	t.Helper()
	out := make([]*lgTerminal, n)
	for i := range out {
		id := fmt.Sprintf("%s-%04d", prefix, i+1)
		priv, pub, err := sshsig.GenerateKey(id)
		if err != nil {
			t.Fatal(err)
		}
		signer, err := ssh.ParsePrivateKey(priv)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = &lgTerminal{ID: id, Signer: signer, PubLine: pub}
	}
	return out
}

// lgFixedTime is the submission time of synthetic sheets.
var lgFixedTime = time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)

// lgPublicExamItems is the number of items of a public exam's sheet.
const lgPublicExamItems = 21

// lgPlainSheet is a plain sheet like a public exam's: items of four options, each answered,
// with the attempt's events. It is a valid exam.Sheet for the given ids.
func lgPlainSheet(sheetID, terminal, session, bankID string, items int) []byte {
	s := &exam.Sheet{
		Format:         exam.SheetFormat,
		SheetID:        sheetID,
		Terminal:       terminal,
		Session:        session,
		ProgramVersion: "loadgen",
		Candidate:      exam.SheetPerson{Code: "C-" + sheetID, Name: "Ana Anić Јовановић", Position: "KQZ-43/2023"},
		BankID:         bankID,
		ManifestSHA256: strings.Repeat("ab", 32),
		Part:           "public",
		Language:       "bs",
		AllowanceMS:    30 * 60 * 1000,
		UsedMS:         30 * 60 * 1000,
		SubmittedAt:    lgFixedTime,
		SubmitReason:   exam.SubmitTimeOut,
		Items:          []exam.SheetItem{},
		Events:         []exam.Event{},
	}
	seq := 0
	event := func(kind exam.EventKind, usedMS int64, data string) {
		seq++
		s.Events = append(s.Events, exam.Event{Seq: seq, At: lgFixedTime.Add(time.Duration(usedMS-s.AllowanceMS) * time.Millisecond),
			UsedMS: usedMS, Kind: kind, Data: json.RawMessage(data)})
	}
	event(exam.EventBegin, 0, `{}`)
	for i := range items {
		id := fmt.Sprintf("q-%02d", i+1)
		answer := string(rune('a' + i%4))
		s.Items = append(s.Items, exam.SheetItem{ID: id, Options: []string{"a", "b", "c", "d"}, Answer: answer, Flagged: i%7 == 3})
		used := int64(i+1) * 60_000
		event(exam.EventVisit, used, `{"item":"`+id+`"}`)
		event(exam.EventChoose, used+5_000, `{"item":"`+id+`","option":"`+answer+`"}`)
	}
	event(exam.EventSubmit, s.AllowanceMS, `{"reason":"time-out"}`)
	return s.Marshal()
}

// lgSheet is a sealed sheet ready to upload, with its request signature made in advance.
type lgSheet struct {
	ID       string
	Terminal *lgTerminal
	Sealed   []byte
	Sig      string // the Ispit-Signature header value
}

// lgSession and lgBank are the ids of synthetic sheets. No answer key is loaded for the
// bank, so the scorer holds the sheets unscored, which costs it nothing at ingest.
const (
	lgSession = "session-load-1"
	lgBank    = "bank-load-2026"
)

// lgSealSheets seals n sheets of the given number of items, named prefix-000001 …, spread
// round-robin over the terminals, on all cores.
func lgSealSheets(t testing.TB, terms []*lgTerminal, recipient age.Recipient, prefix string, n, items int) []*lgSheet {
	t.Helper()
	out := make([]*lgSheet, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, runtime.GOMAXPROCS(0))
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				term := terms[i%len(terms)]
				id := fmt.Sprintf("%s-%06d", prefix, i+1)
				plain := lgPlainSheet(id, term.ID, lgSession, lgBank, items)
				sealed, err := sheet.Seal(plain, sheet.Header{SheetID: id, Terminal: term.ID, Session: lgSession, BankID: lgBank, SealedAt: lgFixedTime},
					term.Signer, recipient)
				if err != nil {
					errs <- err
					return
				}
				sig, err := sheet.SignRequest(term.Signer, term.ID, http.MethodPost, "/v1/sheets", sealed)
				if err != nil {
					errs <- err
					return
				}
				out[i] = &lgSheet{ID: id, Terminal: term, Sealed: sealed, Sig: sig}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
	return out
}

// lgResult is the scorer's answer to one upload.
type lgResult struct {
	Status     int
	Body       []byte
	RetryAfter time.Duration
}

// lgPost uploads a sheet as the Uploader does: POST /v1/sheets, signed by its terminal.
func lgPost(ctx context.Context, client *http.Client, baseURL string, s *lgSheet) (lgResult, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, baseURL+"/v1/sheets", bytes.NewReader(s.Sealed))
	if err != nil {
		return lgResult{}, err
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set(sheet.HeaderTerminal, s.Terminal.ID)
	req.Header.Set(sheet.HeaderSignature, s.Sig)
	req.Header.Set(sheet.HeaderIdempotencyKey, s.ID)
	resp, err := client.Do(req)
	if err != nil {
		return lgResult{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return lgResult{Status: resp.StatusCode}, err
	}
	secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
	return lgResult{Status: resp.StatusCode, Body: body, RetryAfter: time.Duration(secs) * time.Second}, nil
}

// lgPostSigned posts a body its terminal signed (sig, from sheet.SignRequest) and reads the
// answer to its end, so that the connection is kept: the status, or the error of the request.
func lgPostSigned(client *http.Client, url, terminal, sig string, body []byte) (int, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set(sheet.HeaderTerminal, terminal)
	req.Header.Set(sheet.HeaderSignature, sig)
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	_, err = io.Copy(io.Discard, res.Body)
	return res.StatusCode, err
}

// lgGoBinary finds the go command that runs these tests.
func lgGoBinary() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return "/usr/local/go/bin/go"
}

// lgBuildScorer builds the real scorer binary (without the race detector: it is the
// program under test, not the test) and returns its path.
// lgScorerWithKeys builds the scorer and makes its keys in the data folder data.
func lgScorerWithKeys(t testing.TB, data string) (bin string, keys *scorer.Keys) {
	t.Helper()
	bin = lgBuildScorer(t)
	lgRunCLI(t, bin, "keygen", "--data", data)
	keys, err := scorer.LoadKeys(filepath.Join(data, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	return bin, keys
}

func lgBuildScorer(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "scorer")
	cmd := exec.Command(lgGoBinary(), "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the scorer: %v\n%s", err, out)
	}
	return bin
}

// lgRunCLI runs one scorer command to its end and returns its output; it fails the test on
// a non-zero exit.
func lgRunCLI(t testing.TB, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("scorer %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// lgEnrolCLI enrols terminals with `scorer terminal add`, each from its .pub file.
func lgEnrolCLI(t testing.TB, bin, data string, terms []*lgTerminal) {
	t.Helper()
	dir := t.TempDir()
	for _, term := range terms {
		pub := filepath.Join(dir, term.ID+".pub")
		if err := os.WriteFile(pub, term.PubLine, 0o644); err != nil {
			t.Fatal(err)
		}
		lgRunCLI(t, bin, "terminal", "add", "--data", data, "--id", term.ID, "--key", pub)
	}
}

// lgFreeAddr returns a loopback address with a port that was free a moment ago.
func lgFreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// lgScorer is `scorer serve` running as a child process: over plain HTTP (--insecure-http),
// or over HTTPS when TLS is the clients' configuration.
type lgScorer struct {
	Bin, Data, Addr string
	Extra           []string    // more serve flags
	Env             []string    // more environment variables for the scorer
	TLS             *tls.Config // the clients' TLS configuration; nil: plain HTTP

	cmd    *exec.Cmd
	exited chan struct{}
	log    *os.File
}

// URL is the base URL of the running scorer.
func (s *lgScorer) URL() string {
	if s.TLS != nil {
		return "https://" + s.Addr
	}
	return "http://" + s.Addr
}

// Start starts the scorer and waits until GET /healthz answers 200.
func (s *lgScorer) Start(t testing.TB) {
	t.Helper()
	if s.log == nil {
		f, err := os.Create(filepath.Join(t.TempDir(), "scorer.log"))
		if err != nil {
			t.Fatal(err)
		}
		s.log = f
		t.Cleanup(func() { f.Close() })
	}
	fmt.Fprintf(s.log, "=== start %s\n", time.Now().Format(time.RFC3339Nano))
	args := []string{"serve", "--data", s.Data, "--addr", s.Addr}
	if s.TLS == nil {
		args = append(args, "--insecure-http")
	}
	args = append(args, s.Extra...)
	s.cmd = exec.Command(s.Bin, args...)
	if len(s.Env) > 0 {
		s.cmd.Env = append(os.Environ(), s.Env...)
	}
	s.cmd.Stdout = s.log
	s.cmd.Stderr = s.log
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	s.exited = exited
	cmd := s.cmd
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		select {
		case <-exited:
		default:
			cmd.Process.Kill()
			<-exited
		}
	})
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{TLSClientConfig: s.TLS}}
	deadline := time.Now().Add(15 * time.Second)
	for {
		select {
		case <-exited:
			t.Fatalf("the scorer exited before it was ready (%v)\n%s", cmd.ProcessState, s.LogTail())
		default:
		}
		resp, err := client.Get(s.URL() + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the scorer did not become ready at %s: %v\n%s", s.Addr, err, s.LogTail())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// PID is the child's process id.
func (s *lgScorer) PID() int { return s.cmd.Process.Pid }

// Kill kills the scorer with SIGKILL and waits until it is gone.
func (s *lgScorer) Kill(t testing.TB) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatal(err)
	}
	<-s.exited
}

// Stop stops the scorer with SIGTERM (a graceful shutdown) and waits until it is gone.
func (s *lgScorer) Stop(t testing.TB) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatal(err)
	}
	select {
	case <-s.exited:
	case <-time.After(20 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
		t.Fatalf("the scorer did not stop on SIGTERM\n%s", s.LogTail())
	}
}

// LogTail is the end of the scorer's output, for failure messages.
func (s *lgScorer) LogTail() string {
	if s.log == nil {
		return ""
	}
	data, _ := os.ReadFile(s.log.Name())
	if len(data) > 4000 {
		data = data[len(data)-4000:]
	}
	return string(data)
}

// lgProcStatus reads a field in kB (VmHWM, VmRSS) of /proc/PID/status.
func lgProcStatus(pid int, field string) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, pid)
}

// lgResetPeak resets the peak resident size (VmHWM) of a process (Linux: clear_refs 5).
func lgResetPeak(pid int) error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
}

// lgCPUTime is the user+system CPU time a process has used so far, from /proc/PID/stat.
func lgCPUTime(pid int) (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The fields after the command name, which is in parentheses and may hold spaces.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0, errors.New("unreadable /proc stat")
	}
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 13 {
		return 0, errors.New("short /proc stat")
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, errors.New("unreadable /proc stat times")
	}
	const clockTicks = 100 // USER_HZ on Linux
	return time.Duration(utime+stime) * time.Second / clockTicks, nil
}

// lgCopyKeys copies the keys folder of the data folder from into the data folder to, as an
// operator copies it to a second replica or into a restored data folder: the files keep their
// modes (the secrets 0600), the folder is 0700.
func lgCopyKeys(t testing.TB, from, to string) {
	t.Helper()
	src, dst := filepath.Join(from, "keys"), filepath.Join(to, "keys")
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dst, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, info.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
}
