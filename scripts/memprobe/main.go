// Command memprobe measures the kiosk's memory against a Fyne hello-world window in the same
// run, on the X display it is started on (scripts/memory.sh starts it under Xvfb at each screen
// size). It starts the hello-world window, then each kiosk given, one at a time, on a fresh copy
// of a data folder whose attempt was left running (scripts/demoprep -sit): the kiosk opens on
// the resume screen, memprobe types the proctor's PIN with xdotool, answers and moves through
// questions, lets the attempt run, and reads the process's /proc/PID/status (VmRSS, VmHWM,
// RssAnon, RssFile) and, from GODEBUG=gctrace=1, the Go heap. A program built with the
// internal/memdump hook also writes a heap profile and the runtime's memory classes.
//
//	memprobe -dir build/memory/kiosk -hello memhello -kiosk "kiosk=build/memory/kiosk" \
//	    -kiosk "gogc50=build/memory/kiosk GOGC=50" -out build/memory/1024x768
//
// It prints a Markdown table; the ratios are to the hello-world window of the same run.
package main

import (
	"debug/elf"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// kioskFlags are the kiosks to measure: "label=binary [NAME=VALUE …]".
type kioskFlags []string

func (k *kioskFlags) String() string     { return strings.Join(*k, ", ") }
func (k *kioskFlags) Set(v string) error { *k = append(*k, v); return nil }

// options are memprobe's settings.
type options struct {
	dir      string // the kiosk folder: kiosk.json, data.orig
	out      string // logs, heap dumps, screenshots
	pin      string
	answers  int
	settle   time.Duration
	interval time.Duration
}

func main() {
	var o options
	var kiosks kioskFlags
	hello := flag.String("hello", "", "the hello-world window's `binary` (scripts/memhello)")
	flag.Var(&kiosks, "kiosk", "a kiosk to measure: `label=binary [NAME=VALUE …]` (repeatable)")
	flag.StringVar(&o.dir, "dir", "", "the kiosk `folder`: kiosk.json and data.orig, a data folder with a running attempt")
	flag.StringVar(&o.out, "out", "", "the `folder` for logs, heap dumps and screenshots")
	flag.StringVar(&o.pin, "pin", "246810", "the proctor's PIN")
	flag.IntVar(&o.answers, "answers", 10, "questions to answer and move on from")
	flag.DurationVar(&o.settle, "settle", 30*time.Second, "how long the attempt runs before the figures are read")
	flag.DurationVar(&o.interval, "interval", 50*time.Millisecond, "how often VmRSS is sampled")
	flag.Parse()
	if *hello == "" || len(kiosks) == 0 || o.dir == "" || o.out == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		fail(err)
	}
	base, err := measureHello(o, *hello)
	if err != nil {
		fail(fmt.Errorf("hello-world: %w", err))
	}
	results := []result{base}
	for _, spec := range kiosks {
		r, err := measureKiosk(o, spec)
		if err != nil {
			fail(fmt.Errorf("%s: %w", spec, err))
		}
		results = append(results, r)
	}
	report(os.Stdout, results)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "memprobe:", err)
	os.Exit(1)
}

// program is one measured process.
type program struct {
	label string
	cmd   *exec.Cmd
	dumps string
	log   string
	s     *sampler
	// hooked: the binary has the memdump hook, so SIGUSR1 writes its figures (without the
	// hook the signal would end it).
	hooked  bool
	started time.Time
	// busyFrom is when the attempt went on after the PIN (the hello-world window: when it
	// was steady): the collector's cost is taken from then on.
	busyFrom time.Time
}

// start runs binary in dir with GODEBUG=gctrace=1 (its stderr to out/label.log) and a heap
// dump folder for the memdump hook.
func start(o options, label, binary, dir string, env []string) (*program, error) {
	p := &program{label: label, dumps: filepath.Join(o.out, "dumps-"+label), log: filepath.Join(o.out, label+".log")}
	if err := os.RemoveAll(p.dumps); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(p.dumps, 0o755); err != nil {
		return nil, err
	}
	logFile, err := os.Create(p.log)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	abs, err := filepath.Abs(binary)
	if err != nil {
		return nil, err
	}
	if p.hooked, err = hasMemdump(abs); err != nil {
		return nil, err
	}
	p.cmd = exec.Command(abs, "-config", "kiosk.json")
	if label == "hello" {
		p.cmd = exec.Command(abs)
	}
	p.cmd.Dir = dir
	p.cmd.Env = append(os.Environ(), "LANG=C", "GODEBUG=gctrace=1", "MEMDUMP_DIR="+p.dumps)
	p.cmd.Env = append(p.cmd.Env, env...)
	p.cmd.Stdout, p.cmd.Stderr = logFile, logFile
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	p.started = time.Now()
	p.s = startSampler(p.cmd.Process.Pid, o.interval)
	return p, nil
}

// window waits for the program's X window and returns its id.
func (p *program) window(limit time.Duration) (string, error) {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		out, err := exec.Command("xdotool", "search", "--onlyvisible", "--pid", fmt.Sprint(p.cmd.Process.Pid)).Output()
		if ids := strings.Fields(string(out)); err == nil && len(ids) > 0 {
			return ids[len(ids)-1], nil
		}
		if p.cmd.ProcessState != nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	return "", fmt.Errorf("no window after %s (log: %s)", limit, p.log)
}

// stop ends the program: SIGTERM, then SIGKILL after 3 s.
func (p *program) stop() {
	p.s.close()
	p.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		p.cmd.Process.Kill()
		<-done
	}
}

// hasMemdump reports whether the binary links the memdump hook, by its symbol table.
func hasMemdump(binary string) (bool, error) {
	f, err := elf.Open(binary)
	if err != nil {
		return false, err
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		return false, nil // stripped: no way to tell, so no signal
	}
	for _, s := range syms {
		if strings.HasPrefix(s.Name, "ispit/internal/memdump.") {
			return true, nil
		}
	}
	return false, nil
}

// xdotool runs one xdotool command.
func xdotool(args ...string) error {
	if out, err := exec.Command("xdotool", args...).CombinedOutput(); err != nil {
		return fmt.Errorf("xdotool %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return nil
}
