package main

import (
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite", to watch the attempt's state
)

// result is one program's figures, in KiB unless named otherwise.
type result struct {
	label         string
	rss, rssMean  int // at the end, and the mean over the second half of the settling time
	hwm, startHWM int // the peak over the whole run, and before the PIN was typed
	anon, file    int // RssAnon, RssFile+RssShmem
	gc            gcTrace
	gcShare       float64        // the collector's share of one processor while settling, %
	gcCycles      int            // collections while settling
	goc           map[string]int // the runtime's memory classes in bytes, from the memdump hook
}

// measureHello measures the hello-world window once its resident set is steady.
func measureHello(o options, binary string) (result, error) {
	dir, err := os.MkdirTemp(o.out, "hello-")
	if err != nil {
		return result{}, err
	}
	defer os.RemoveAll(dir)
	p, err := start(o, "hello", binary, dir, nil)
	if err != nil {
		return result{}, err
	}
	defer p.stop()
	if _, err := p.window(30 * time.Second); err != nil {
		return result{}, err
	}
	p.s.steady(2*time.Second, 20*time.Second)
	t := time.Now()
	p.busyFrom = t
	time.Sleep(o.settle / 4)
	r := p.read(t)
	r.startHWM = r.hwm
	return r, nil
}

// measureKiosk measures one kiosk on a fresh copy of the data folder: the resume screen, the
// proctor's PIN, answers, then the attempt running for the settling time.
func measureKiosk(o options, spec string) (result, error) {
	fields := strings.Fields(spec)
	label, binary, ok := strings.Cut(fields[0], "=")
	if !ok || label == "" || label == "hello" {
		return result{}, fmt.Errorf("-kiosk wants label=binary, not %q", fields[0])
	}
	data := filepath.Join(o.dir, "data")
	if err := os.RemoveAll(data); err != nil {
		return result{}, err
	}
	if out, err := exec.Command("cp", "-a", filepath.Join(o.dir, "data.orig"), data).CombinedOutput(); err != nil {
		return result{}, fmt.Errorf("copying the data folder: %v: %s", err, out)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "exam.db")+"?mode=ro")
	if err != nil {
		return result{}, err
	}
	defer db.Close()
	p, err := start(o, label, binary, o.dir, fields[1:])
	if err != nil {
		return result{}, err
	}
	defer p.stop()
	win, err := p.window(60 * time.Second)
	if err != nil {
		return result{}, err
	}
	// The restarted kiosk pauses the attempt and asks for the proctor's PIN.
	if _, err := waitState(db, "paused", 60*time.Second); err != nil {
		return result{}, err
	}
	p.s.steady(2*time.Second, 20*time.Second)
	startHWM := procKB(procPath(p.cmd.Process.Pid, "status"))["VmHWM"]
	if err := xdotool("windowfocus", "--sync", win); err != nil {
		return result{}, err
	}
	if err := xdotool("type", "--delay", "80", o.pin); err != nil {
		return result{}, err
	}
	if err := xdotool("key", "Return"); err != nil {
		return result{}, err
	}
	seq, err := waitState(db, "running", 30*time.Second)
	if err != nil {
		return result{}, fmt.Errorf("after the PIN: %w", err)
	}
	p.busyFrom = time.Now()
	time.Sleep(time.Second)
	for range o.answers {
		for _, key := range []string{"2", "Right"} {
			if err := xdotool("key", key); err != nil {
				return result{}, err
			}
			time.Sleep(400 * time.Millisecond)
		}
	}
	if last, err := waitState(db, "running", time.Second); err != nil || last < seq+int64(o.answers) {
		return result{}, fmt.Errorf("the answers typed did not reach the attempt (events %d to %d, %v)", seq, last, err)
	}
	time.Sleep(o.settle / 2)
	t := time.Now()
	time.Sleep(o.settle / 2)
	r := p.read(t)
	r.startHWM = startHWM
	if _, err := exec.LookPath("import"); err == nil {
		exec.Command("import", "-window", "root", filepath.Join(o.out, label+".png")).Run()
	}
	return r, nil
}

// waitState waits for the attempt to be in state and returns its last event's number.
func waitState(db *sql.DB, state string, limit time.Duration) (int64, error) {
	deadline := time.Now().Add(limit)
	var got string
	var seq int64
	for {
		err := db.QueryRow(`SELECT state, last_seq FROM attempts`).Scan(&got, &seq)
		if err == nil && got == state {
			return seq, nil
		}
		if time.Now().After(deadline) {
			return seq, fmt.Errorf("the attempt is %q, not %q, after %s (%v)", got, state, limit, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// read takes the program's figures now, then asks a program with the memdump hook for its
// memory classes and heap profile (which collects garbage, so it comes last).
func (p *program) read(meanFrom time.Time) result {
	pid := p.cmd.Process.Pid
	st := procKB(procPath(pid, "status"))
	r := result{
		label:   p.label,
		rss:     st["VmRSS"],
		rssMean: p.s.meanSince(meanFrom),
		hwm:     st["VmHWM"],
		anon:    st["RssAnon"],
		file:    st["RssFile"] + st["RssShmem"],
		gc:      readGCTrace(p.log),
	}
	r.gcShare, r.gcCycles = r.gc.share(p.busyFrom.Sub(p.started).Seconds(), time.Since(p.started).Seconds())
	if smaps, err := os.ReadFile(procPath(pid, "smaps")); err == nil {
		os.WriteFile(filepath.Join(p.dumps, "smaps"), smaps, 0o644)
	}
	if !p.hooked {
		return r
	}
	prefix := "kiosk"
	if p.label == "hello" {
		prefix = "hello"
	}
	base := filepath.Join(p.dumps, prefix+"-1")
	p.cmd.Process.Signal(syscall.SIGUSR1)
	for range 100 {
		time.Sleep(100 * time.Millisecond)
		if _, err := os.Stat(base + ".pprof"); err == nil {
			time.Sleep(200 * time.Millisecond)
			r.goc = goClasses(base + ".txt")
			break
		}
	}
	return r
}
