package exam

// The crash test of issue 3. A child process (this test binary, run again with
// -test.run=^TestCrashChild$) keeps a session of five attempts going on the real clock and a
// database in a temporary folder, and tells the parent on its stdout, line by line, what it is
// about to do and, once a call returned nil, what is now durable and how much time each
// attempt has used. The parent kills it with SIGKILL at a random moment, starts it again, and
// checks what the resumed child reports against what the dead one had been told was saved,
// and each attempt's time used against the truth measured with the parent's monotonic clock.
//
//	go test ./exam -run TestCrash                                # 200 kills, in 4 lanes
//	go test ./exam -run TestCrash -crash.kills=5000 -timeout 0   # many more
//
// What is checked after every kill:
//   - every answer, flag, item visited, allowance and state the child was told was durable is
//     there unchanged, except where the one call in flight at the kill took effect;
//   - every written task's text is the last one the child was told was durable, or one it
//     typed after that (the engine's clock may have saved it without the child hearing so);
//   - every attempt's time used is within one second of the truth: the last time used the
//     child reported plus, if the attempt was running, the parent's monotonic time from
//     reading that report to the kill. More than a second charged that was not used is always
//     a failure. More than a second used but not charged is one too, unless the child had
//     stalled just before the kill (no report for 250 ms or more: the machine did not run it,
//     or a write hung, and its engine could not checkpoint either); then the allowance grows
//     by the stall, and such kills are counted and logged apart.
//
// Kills come 5 to 150 ms after the child reports ready, and one in 8 (-crash.long) 0.6 to
// 2.5 s after, so that the engine's clock checkpoints and flushes typing before some kills.
// In every run a third of the attempts sit idle, so that only checkpoints save their time.
// Every 50 kills (-crash.epoch) the child is stopped cleanly and the database is checked in
// this process, and a fresh one is started.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"ispit/assets"
	"ispit/bank"
	"ispit/bank/source"
	"ispit/internal/sshsig"
)

var (
	crashKills = flag.Int("crash.kills", 200, "SIGKILLs the crash test deals its child processes")
	crashLanes = flag.Int("crash.lanes", 0, "child processes the crash test runs side by side, each on its own database (0: 2 per CPU, 2 to 4)")
	crashEpoch = flag.Int("crash.epoch", 50, "kills on one database before the crash test stops the child cleanly and starts a fresh database")
	crashLong  = flag.Int("crash.long", 8, "one kill in this many comes 0.6 to 2.5 s after ready instead of 5 to 150 ms, so that checkpoints and timed text flushes happen before it (0: never)")
	crashSeed  = flag.Uint64("crash.seed", 0, "seed of the crash test (0: a random one, logged)")
)

const (
	crashEnvFixture = "ISPIT_CRASH_FIXTURE" // the folder with the bank, trust list, roster and start code
	crashEnvDB      = "ISPIT_CRASH_DB"      // the child's database
	crashEnvSeed    = "ISPIT_CRASH_SEED"    // the child's random seed
	crashPrefix     = "CRASH "              // the child's report lines start with this
	crashProctor    = "proctor-crash"
	crashTerminal   = "T-CRASH"
	crashTolerance  = time.Second // issue 3: at most one second more or less than the truth
)

// crashFixtureNow is the time the crash fixture's bank and roster are built and verified at.
var crashFixtureNow = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

// crashPlan is the attempts every child keeps going: the public exam, the professional
// multiple-choice test and the written tasks.
var crashPlan = []struct{ code, part, lang string }{
	{"DEMO-0001", "public", "bs"},
	{"DEMO-0002", "professional-choice", "hr"},
	{"DEMO-0003", "professional-written", "sr-Cyrl"},
	{"DEMO-0004", "professional-written", "sq"},
	{"DEMO-0005", "public", "en"},
}

func crashKey(code, part string) string { return code + "/" + part }

// crashLine is one line of the child's report.
//
// Kinds: "resume" (Full: every attempt as the child found it on starting; empty for a fresh
// database), "intent" (the child is about to call Op; the call may become durable even if
// no "done" line follows), "typed" (the child is about to call SetText with Text; typing may
// become durable without a report), "done" (Op returned nil: what it says is durable, and
// Times gives every attempt's state and time used after it), "ready" (the setup is over:
// kill me now), "closed" (the engine was closed cleanly; Full is its final state) and
// "fail" (Msg says what went wrong).
type crashLine struct {
	K      string `json:"k"`
	Op     string `json:"op,omitempty"`
	A      string `json:"a,omitempty"`
	Item   string `json:"item,omitempty"`
	Option string `json:"opt,omitempty"`
	Flag   bool   `json:"flag,omitempty"`
	Index  int    `json:"index,omitempty"`
	Text   string `json:"text,omitempty"`
	Extend int64  `json:"ext_ms,omitempty"`
	// DurUS is how long the call took, in microseconds.
	DurUS int64 `json:"dur_us,omitempty"`
	// Texts are written tasks' texts that are now durable, by item.
	Texts map[string]string      `json:"texts,omitempty"`
	Times map[string]crashTime   `json:"times,omitempty"`
	Full  map[string]*crashState `json:"full,omitempty"`
	Msg   string                 `json:"msg,omitempty"`
	// Wall is the child's wall clock when it wrote the line (Unix ns), for the parent to see
	// how late it read the line.
	Wall int64 `json:"wall"`
}

// crashTime is an attempt's state, time used and allowance at the moment of a report.
type crashTime struct {
	State       State `json:"s"`
	UsedUS      int64 `json:"u"`
	AllowanceMS int64 `json:"al"`
}

// crashState is everything the crash test checks of an attempt.
type crashState struct {
	crashTime
	// UsedLoUS is, after a resume, the least the attempt's time used can have been when the
	// engine loaded it; UsedUS is then the most (see resumedFull).
	UsedLoUS int64             `json:"lo"`
	Current  int               `json:"cur"`
	Choices  map[string]string `json:"ch"`
	Flags    map[string]bool   `json:"fl"`
	Texts    map[string]string `json:"tx"`
}

// ---------------------------------------------------------------------------------------------
// The fixture: built once by the parent, read by every child.

func writeCrashFixture(dir string) error {
	def, err := source.LoadFS(assets.DemoBankSource(), "bank.yaml")
	if err != nil {
		return err
	}
	priv, pub, err := sshsig.GenerateKey("crash-test")
	if err != nil {
		return err
	}
	signer, err := ssh.ParsePrivateKey(priv)
	if err != nil {
		return err
	}
	built, err := bank.Build(def, bank.BuildOptions{Signer: signer, WorkFactor: 1, Now: crashFixtureNow})
	if err != nil {
		return err
	}
	roster, err := bank.SignRoster(assets.DemoRosterCSV(), signer)
	if err != nil {
		return err
	}
	for name, data := range map[string][]byte{
		"demo.bank":       built.Bank,
		"allowed_signers": pub,
		"roster.signed":   roster,
		"start-code.txt":  []byte(built.StartCode + "\n"),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			return err
		}
	}
	return nil
}

func loadCrashFixture(dir string) (*bank.Bank, *bank.Roster, string, error) {
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			panic(err) // the parent wrote them
		}
		return data
	}
	trust, err := sshsig.ParseTrust(read("allowed_signers"))
	if err != nil {
		return nil, nil, "", err
	}
	v, err := bank.Verify(read("demo.bank"), trust, crashFixtureNow)
	if err != nil {
		return nil, nil, "", err
	}
	code := strings.TrimSpace(string(read("start-code.txt")))
	b, err := v.Open(code)
	if err != nil {
		return nil, nil, "", err
	}
	roster, err := bank.ReadRoster(read("roster.signed"), trust, crashFixtureNow)
	if err != nil {
		return nil, nil, "", err
	}
	return b, roster, code, nil
}

// ---------------------------------------------------------------------------------------------
// The child.

// TestCrashChild is the child process of TestCrash; run on its own it does nothing.
func TestCrashChild(t *testing.T) {
	fixture := os.Getenv(crashEnvFixture)
	if fixture == "" {
		t.Skip("the child of TestCrash; TestCrash runs it")
	}
	seed, _ := strconv.ParseUint(os.Getenv(crashEnvSeed), 10, 64)
	c := &crashChild{rng: rand.New(rand.NewPCG(seed, seed>>1^0x5eed))}
	if err := c.run(fixture, os.Getenv(crashEnvDB)); err != nil {
		c.emit(crashLine{K: "fail", Msg: err.Error()})
		t.Fatal(err)
	}
}

type crashChild struct {
	rng      *rand.Rand
	clock    *SystemClock
	e        *Engine
	s        *Session
	attempts map[string]*Attempt
	keys     []string
	busy     []string                  // the attempts the script works on in this run
	byID     map[string]string         // attempt id → key
	index    map[string]map[string]int // key → item id → index
	lastSet  map[string]map[string]string
	dirty    map[string]map[string]bool // typing not yet reported durable
	notes    <-chan Notification
	stop     atomic.Bool
}

func (c *crashChild) emit(l crashLine) {
	l.Wall = time.Now().UnixNano()
	data, err := json.Marshal(l)
	if err != nil {
		panic(err)
	}
	// One write per line: a line is in the pipe whole or, if the kill cuts it, last and
	// without its newline, and the parent drops it.
	os.Stdout.Write(append(append([]byte(crashPrefix), data...), '\n'))
}

func (c *crashChild) run(fixture, dbPath string) error {
	b, roster, code, err := loadCrashFixture(fixture)
	if err != nil {
		return err
	}
	go func() {
		// "stop" on stdin, or the parent going away, ends the script.
		sc := bufio.NewScanner(os.Stdin)
		for sc.Scan() && sc.Text() != "stop" {
		}
		c.stop.Store(true)
	}()
	c.clock = NewSystemClock()
	c.e, err = Open(dbPath, Options{TerminalID: crashTerminal, Secret: testSecret, Clock: c.clock, ProgramVersion: "crash-test"})
	if err != nil {
		return err
	}
	notes, cancel := c.e.Subscribe()
	defer cancel()
	c.notes = notes
	c.attempts = map[string]*Attempt{}
	c.byID = map[string]string{}
	c.index = map[string]map[string]int{}
	c.lastSet = map[string]map[string]string{}
	c.dirty = map[string]map[string]bool{}

	info, err := c.e.ActiveSession()
	if err != nil {
		return err
	}
	var full map[string]*crashState // as resumed
	if info != nil {
		if c.s, full, err = c.resume(info.ID, b, roster); err != nil {
			return err
		}
	}
	c.emit(crashLine{K: "resume", Full: full})

	if c.s == nil {
		c.emit(crashLine{K: "intent", Op: "start"})
		if c.s, err = c.e.StartSession(b, roster, "public", crashProctor, code); err != nil {
			return err
		}
		c.emit(crashLine{K: "done", Op: "start", Times: c.times()})
	}
	for _, p := range crashPlan {
		key := crashKey(p.code, p.part)
		a := c.attempts[key]
		if a == nil {
			c.emit(crashLine{K: "intent", Op: "admit", A: key})
			if a, err = c.s.Admit(p.code, p.part); err != nil {
				return err
			}
			c.add(a)
			c.emit(crashLine{K: "done", Op: "admit", A: key, Times: c.times()})
		}
		if st, _ := a.State(); st == StateAdmitted {
			if err := c.do(key, crashLine{Op: "begin"}, func() error { return a.Begin(p.lang) }); err != nil {
				return err
			}
		}
	}
	// Some candidates sit still this time (reading, thinking): their time used becomes durable
	// only through the engine's checkpoints.
	for _, key := range c.keys {
		if c.rng.IntN(3) > 0 {
			c.busy = append(c.busy, key)
		}
	}
	if len(c.busy) == 0 {
		c.busy = c.keys
	}
	c.emit(crashLine{K: "ready", Times: c.times()})

	for !c.stop.Load() {
		c.drainNotes()
		if err := c.step(); err != nil {
			return err
		}
		if d := c.rng.IntN(4); d > 0 {
			time.Sleep(time.Duration(d) * time.Millisecond)
		}
	}
	c.emit(crashLine{K: "intent", Op: "close"})
	full = c.full(0, 0)
	if err := c.e.Close(); err != nil {
		return err
	}
	// Close checkpointed the time used somewhere between these two readings.
	for key, tm := range c.times() {
		full[key].UsedLoUS, full[key].UsedUS = full[key].UsedUS, tm.UsedUS
	}
	c.emit(crashLine{K: "closed", Full: full})
	return nil
}

func (c *crashChild) add(a *Attempt) {
	key := crashKey(a.Candidate().Code, a.Part().ID)
	c.attempts[key] = a
	c.keys = append(c.keys, key)
	sort.Strings(c.keys)
	c.byID[a.ID()] = key
	c.index[key] = map[string]int{}
	c.lastSet[key] = map[string]string{}
	c.dirty[key] = map[string]bool{}
	for _, n := range a.Navigator() {
		c.index[key][n.ItemID] = n.Index
		if v, _ := a.Item(n.Index); v.Item.Kind == bank.ItemWritten {
			c.lastSet[key][n.ItemID] = v.Text
		}
	}
}

func (c *crashChild) times() map[string]crashTime {
	out := map[string]crashTime{}
	for key, a := range c.attempts {
		out[key] = crashTimeOf(a)
	}
	return out
}

func crashTimeOf(a *Attempt) crashTime {
	st, _ := a.State()
	return crashTime{State: st, UsedUS: a.Used().Microseconds(), AllowanceMS: a.Allowance().Milliseconds()}
}

// resume resumes the session and returns every attempt's state as the engine loaded it.
func (c *crashChild) resume(id string, b *bank.Bank, roster *bank.Roster) (*Session, map[string]*crashState, error) {
	t0 := c.clock.Elapsed()
	s, err := c.e.ResumeSession(id, b, roster)
	if err != nil {
		return nil, nil, err
	}
	t1 := c.clock.Elapsed()
	for _, a := range s.Attempts() {
		c.add(a)
	}
	return s, c.full(t0, t1), nil
}

// full returns every attempt's state. With t0 < t1, the times the session was being resumed
// between (the clock's Elapsed), the time used is given as it was when the engine loaded
// the attempt, at some moment between t0 and t1: however late this runs, the running time
// since does not count.
func (c *crashChild) full(t0, t1 time.Duration) map[string]*crashState {
	out := map[string]*crashState{}
	for key, a := range c.attempts { // times first, all together
		tm := crashTimeOf(a)
		lo := tm.UsedUS
		if t1 > 0 && tm.State == StateRunning {
			now := c.clock.Elapsed()
			tm.UsedUS -= (now - t1).Microseconds()
			lo -= (now - t0).Microseconds()
		}
		out[key] = &crashState{crashTime: tm, UsedLoUS: lo}
	}
	for key, a := range c.attempts {
		fs := out[key]
		fs.Current = a.Current()
		fs.Choices, fs.Flags, fs.Texts = map[string]string{}, map[string]bool{}, map[string]string{}
		for i := range a.Len() {
			v, _ := a.Item(i)
			if v.Chosen != "" {
				fs.Choices[v.Item.ID] = v.Chosen
			}
			if v.Flagged {
				fs.Flags[v.Item.ID] = true
			}
			if v.Item.Kind == bank.ItemWritten {
				fs.Texts[v.Item.ID] = v.Text
			}
		}
	}
	return out
}

// do announces an operation, calls it and, once it returned nil, reports it durable. Visit,
// Pause and FlushText make the attempt's typing durable too.
func (c *crashChild) do(key string, l crashLine, call func() error) error {
	l.K, l.A = "intent", key
	c.emit(l)
	began := time.Now()
	if err := call(); err != nil {
		return fmt.Errorf("%s %s: %w", l.Op, key, err)
	}
	l.K, l.DurUS = "done", time.Since(began).Microseconds()
	if l.Op == "visit" || l.Op == "pause" || l.Op == "flush" {
		l.Texts = c.takeDirty(key)
	}
	l.Times = c.times()
	c.emit(l)
	return nil
}

func (c *crashChild) takeDirty(key string) map[string]string {
	texts := map[string]string{}
	for item := range c.dirty[key] {
		texts[item] = c.lastSet[key][item]
	}
	c.dirty[key] = map[string]bool{}
	return texts
}

// drainNotes reports typing the engine's clock has made durable.
func (c *crashChild) drainNotes() {
	for {
		select {
		case n := <-c.notes:
			if n.Kind != NotifySaved {
				continue
			}
			key := c.byID[n.Attempt]
			if !c.dirty[key][n.Item] {
				continue
			}
			v, err := c.attempts[key].Item(c.index[key][n.Item])
			if err != nil || !v.Saved {
				continue // newer typing is pending
			}
			delete(c.dirty[key], n.Item)
			c.emit(crashLine{K: "done", Op: "saved", A: key, Texts: map[string]string{n.Item: v.Text}, Times: c.times()})
		default:
			return
		}
	}
}

// expectErr calls something that must fail with want and change nothing.
func crashExpectErr(what string, err, want error) error {
	if !errors.Is(err, want) {
		return fmt.Errorf("%s: err = %v, want %v", what, err, want)
	}
	return nil
}

func (c *crashChild) step() error {
	key := c.busy[c.rng.IntN(len(c.busy))]
	a := c.attempts[key]
	st, _ := a.State()
	v, err := a.Item(c.rng.IntN(a.Len()))
	if err != nil {
		return err
	}
	item := v.Item.ID
	r := c.rng.IntN(100)
	extend := func() error {
		d := time.Duration(1+c.rng.IntN(5)) * time.Minute
		return c.do(key, crashLine{Op: "extend", Extend: d.Milliseconds()}, func() error {
			return a.Extend(crashProctor, "incident in the room", d)
		})
	}
	pause := func() error {
		return c.do(key, crashLine{Op: "pause"}, func() error { return a.Pause(crashProctor, "candidate unwell") })
	}
	visit := func() error {
		i := c.rng.IntN(a.Len())
		return c.do(key, crashLine{Op: "visit", Index: i}, func() error { return a.Visit(i) })
	}
	toggleFlag := func() error {
		f := !v.Flagged
		return c.do(key, crashLine{Op: "flag", Item: item, Flag: f}, func() error { return a.Flag(item, f) })
	}
	switch st {
	case StatePaused:
		switch {
		case r < 40:
			return c.do(key, crashLine{Op: "resume"}, func() error { return a.Resume(crashProctor, "candidate back") })
		case r < 50:
			return extend()
		case r < 55:
			return crashExpectErr("flag while paused", a.Flag(item, !v.Flagged), ErrNotRunning)
		}
		return nil
	case StateRunning:
	default:
		return fmt.Errorf("attempt %s is %s", key, st)
	}
	if v.Item.Kind == bank.ItemWritten {
		switch {
		case r < 55:
			text := crashEdit(c.rng, c.lastSet[key][item])
			c.emit(crashLine{K: "typed", A: key, Item: item, Text: text})
			if err := a.SetText(item, text); err != nil {
				return fmt.Errorf("settext %s: %w", key, err)
			}
			c.lastSet[key][item] = text
			c.dirty[key][item] = true
			return nil
		case r < 67:
			return c.do(key, crashLine{Op: "flush"}, a.FlushText)
		case r < 77:
			return visit()
		case r < 87:
			return toggleFlag()
		case r < 90:
			return pause()
		case r < 92:
			return extend()
		case r < 95:
			return crashExpectErr("choose on a written task", a.Choose(item, "a"), ErrWrongItemKind)
		}
		return nil
	}
	switch {
	case r < 40:
		opt := v.Options[c.rng.IntN(len(v.Options))].ID
		op := "choose"
		if v.Chosen != "" && v.Chosen != opt {
			op = "change"
		}
		return c.do(key, crashLine{Op: op, Item: item, Option: opt}, func() error { return a.Choose(item, opt) })
	case r < 50:
		return c.do(key, crashLine{Op: "clear", Item: item}, func() error { return a.Clear(item) })
	case r < 65:
		return toggleFlag()
	case r < 82:
		return visit()
	case r < 86:
		return pause()
	case r < 88:
		return extend()
	case r < 91:
		return crashExpectErr("unknown option", a.Choose(item, "zz"), ErrUnknownOption)
	case r < 93:
		return crashExpectErr("unknown item", a.Flag("no-such-item", true), ErrUnknownItem)
	case r < 95:
		return crashExpectErr("text on a choice item", a.SetText(item, "x"), ErrWrongItemKind)
	}
	return nil
}

// crashWords are what the child types: Bosnian, Croatian and Serbian Latin with their
// diacritics, Serbian Cyrillic and Albanian.
var crashWords = []string{
	"upravni", "postupak", "rješenje", "žalba", "čovjek", "šuma", "ćup", "đak", "Džemal",
	"закон", "поступак", "рјешење", "жалба", "љубав", "њива", "ђак", "Ћирилица", "џеп", "шума",
	"ligji", "procedura", "përgjigje", "çështje", "dhënë", "Shqipëri", "Ëndërr", "Çka", "zë",
	"the", "appeal", "—", "«", "»", "„", "“", ",", ".", "\n",
}

// crashEdit is one edit of an essay: words typed at the end or in the middle, a stretch
// deleted or replaced; the text stays under 3,000 characters.
func crashEdit(rng *rand.Rand, old string) string {
	r := []rune(old)
	word := []rune(crashWords[rng.IntN(len(crashWords))])
	at := rng.IntN(len(r) + 1)
	switch k := rng.IntN(10); {
	case len(r) > 3000:
		n := 500 + rng.IntN(1000)
		at = rng.IntN(len(r) - n)
		r = slices.Delete(r, at, at+n)
	case k < 5 || len(r) == 0:
		r = append(append(r, ' '), word...)
	case k < 7:
		r = slices.Insert(r, at, append([]rune{' '}, word...)...)
	case k < 9:
		r = slices.Delete(r, at, min(len(r), at+1+rng.IntN(12)))
	default:
		r = slices.Replace(r, at, min(len(r), at+1+rng.IntN(6)), word...)
	}
	return string(r)
}

// ---------------------------------------------------------------------------------------------
// The parent.

// crashStats are the figures of a crash run.
type crashStats struct {
	mu      sync.Mutex
	kills   int
	long    int // kills after a long run
	closes  int // clean stops
	events  int // reports of durable operations
	slowest time.Duration
	slow    int // durable calls that took longer than a checkpoint interval
	// Time used, checked after every kill for every attempt (resumed − truth).
	checks      int
	worstAbs    time.Duration // the largest |resumed − truth| when the child was not stalled
	worstOver   time.Duration // the largest resumed − truth: time charged that was not used
	worstUnder  time.Duration // the largest truth − resumed when the child was not stalled
	worstLag    time.Duration // the latest the parent read a report of time used
	worstWindow time.Duration // the longest a resume took (the uncertainty of "resumed")
	// Kills that hit a child that had stalled in the 3 s before (no report for crashStall or
	// more at a stretch): the machine did not run it, or a write hung, so its engine could
	// not checkpoint.
	stalled      int
	worstStall   time.Duration
	stalledUnder time.Duration // the largest truth − resumed after such a kill
	worstClean   time.Duration // the largest error at a clean stop and on reopening after it
}

// crashStall is how long a child may go without a report before the parent calls it stalled.
const crashStall = 250 * time.Millisecond

func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash test takes a while")
	}
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("needs SIGKILL")
	}
	seed := *crashSeed
	if seed == 0 {
		seed = rand.Uint64()
	}
	lanes := *crashLanes
	if lanes <= 0 {
		lanes = min(max(2*runtime.NumCPU(), 2), 4)
	}
	lanes = min(lanes, max(*crashKills, 1))
	t.Logf("crash test: seed %d (-crash.seed), %d kills in %d lanes", seed, *crashKills, lanes)

	fixture := t.TempDir()
	if err := writeCrashFixture(fixture); err != nil {
		t.Fatal(err)
	}
	stats := &crashStats{}
	var failed atomic.Bool
	var wg sync.WaitGroup
	errs := make([]error, lanes)
	start := time.Now()
	for lane := range lanes {
		kills := *crashKills / lanes
		if lane < *crashKills%lanes {
			kills++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(lane)))
			for done := 0; done < kills && !failed.Load(); {
				n := min(kills-done, max(*crashEpoch, 1))
				p := &crashParent{t: t, fixture: fixture, db: filepath.Join(t.TempDir(), "exam.db"), rng: rng, stats: stats, failed: &failed}
				if p.nearDeadline() {
					return
				}
				if err := p.epoch(n); err != nil {
					errs[lane] = fmt.Errorf("lane %d, epoch after %d kills: %w", lane, done, err)
					failed.Store(true)
					return
				}
				done += n
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if !failed.Load() && stats.kills < *crashKills {
		t.Logf("crash test: stopped after %d of %d kills, near the end of -timeout; for a long run use -timeout 0", stats.kills, *crashKills)
	}
	t.Logf("crash test: %d kills (%d of them after a long run) and %d clean stops in %s; %d durable operations reported, the slowest took %s, %d took more than %s",
		stats.kills, stats.long, stats.closes, time.Since(start).Round(time.Millisecond), stats.events,
		stats.slowest.Round(time.Millisecond), stats.slow, checkpointInterval)
	ms := func(d time.Duration) string { return d.Round(time.Millisecond).String() }
	t.Logf("crash test: time used checked %d times after a kill: worst error %s (at most %s charged that was not used, %s used but not charged); reopened after a clean stop: worst error %s; reports read up to %s late, resumes took up to %s",
		stats.checks, ms(stats.worstAbs), ms(stats.worstOver), ms(stats.worstUnder), ms(stats.worstClean), ms(stats.worstLag), ms(stats.worstWindow))
	if stats.stalled > 0 {
		t.Logf("crash test: %d kills came at most 3 s after the child had stalled (no report for %s or more: the machine did not run it, or a write hung; the longest stalls added up to %s): after those, at most %s used but not charged",
			stats.stalled, crashStall, ms(stats.worstStall), ms(stats.stalledUnder))
	}
}

// crashParent runs one database through a number of kills and a clean stop.
type crashParent struct {
	t       *testing.T
	fixture string
	db      string
	rng     *rand.Rand
	stats   *crashStats
	failed  *atomic.Bool

	model    map[string]*crashModel
	inflight *crashLine    // the last intent not followed by its done line
	sentAt   time.Time     // when the parent read the in-flight intent
	stall    time.Duration // how long the killed child had stalled shortly before (crashStalled)
	killedAt time.Time     // when the parent killed the last child
}

// crashModel is what the parent knows is durable of an attempt, from the child's reports.
type crashModel struct {
	crashState
	usedAt time.Time           // when the parent read the report of UsedUS (monotonic)
	lag    time.Duration       // how late the parent read that report
	typed  map[string][]string // texts typed since the last durable report: any may be durable
}

type crashReceived struct {
	line crashLine
	at   time.Time
	lag  time.Duration // from the child's writing the line to the parent's reading it
}

// crashChildProc is a running child.
type crashChildProc struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	lines  chan crashReceived
	stderr bytes.Buffer
}

func (p *crashParent) start() (*crashChildProc, error) {
	c := &crashChildProc{lines: make(chan crashReceived, 1024)}
	c.cmd = exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	c.cmd.Env = append(os.Environ(),
		crashEnvFixture+"="+p.fixture,
		crashEnvDB+"="+p.db,
		crashEnvSeed+"="+strconv.FormatUint(p.rng.Uint64(), 10))
	c.cmd.Stderr = &c.stderr
	var err error
	if c.stdin, err = c.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := c.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := c.cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		defer close(c.lines)
		r := bufio.NewReaderSize(stdout, 1<<16)
		for {
			s, err := r.ReadString('\n')
			if err != nil {
				return // a last line without its newline was cut by the kill
			}
			at := time.Now()
			rest, ok := strings.CutPrefix(s, crashPrefix)
			if !ok {
				continue // the test framework's own output
			}
			var l crashLine
			if json.Unmarshal([]byte(rest), &l) != nil {
				continue
			}
			// Both wall clocks are the machine's; a lag that makes no sense counts as none.
			lag := time.Duration(at.UnixNano() - l.Wall)
			if lag < 0 || lag > time.Minute {
				lag = 0
			}
			c.lines <- crashReceived{l, at, lag}
		}
	}()
	return c, nil
}

// childError describes a child that failed.
func (c *crashChildProc) childError(format string, args ...any) error {
	c.cmd.Process.Kill()
	for range c.lines {
	}
	c.cmd.Wait()
	msg := c.stderr.String()
	if len(msg) > 4000 {
		msg = msg[len(msg)-4000:]
	}
	return fmt.Errorf("%s; child stderr:\n%s", fmt.Sprintf(format, args...), msg)
}

// epoch runs kills kills on a fresh database, then stops the child cleanly and checks the
// database in this process.
func (p *crashParent) epoch(kills int) error {
	p.model = map[string]*crashModel{}
	for k := 0; ; k++ {
		if p.failed.Load() {
			return nil
		}
		last := k == kills || p.nearDeadline()
		if err := p.generation(last); err != nil {
			return fmt.Errorf("after %d kills of this database: %w", k, err)
		}
		if last {
			return p.reopen()
		}
	}
}

// nearDeadline reports whether the test's -timeout is so near that the run must end now.
func (p *crashParent) nearDeadline() bool {
	deadline, ok := p.t.Deadline()
	return ok && time.Until(deadline) < 45*time.Second
}

// generation starts a child, checks what it resumed, and kills it or, the last time, stops it.
func (p *crashParent) generation(last bool) error {
	c, err := p.start()
	if err != nil {
		return err
	}
	defer c.cmd.Process.Kill() // a no-op once it has exited
	var timer <-chan time.Time
	var killedAt, lastLine time.Time
	var gaps [][2]time.Time // stretches of crashStall or more without a report
	var long bool
	stuck := time.NewTimer(60 * time.Second)
	defer stuck.Stop()
	for {
		select {
		case <-stuck.C:
			return c.childError("the child did not finish within a minute")
		case <-timer:
			timer = nil
			if last {
				if _, err := io.WriteString(c.stdin, "stop\n"); err != nil {
					return c.childError("asking the child to stop: %v", err)
				}
				continue
			}
			killedAt = time.Now()
			if err := c.cmd.Process.Kill(); err != nil {
				return c.childError("killing: %v", err)
			}
		case r, ok := <-c.lines:
			if !ok {
				err := c.cmd.Wait()
				c.stdin.Close()
				switch {
				case last && err != nil:
					return c.childError("the child stopped with %v", err)
				case !last && killedAt.IsZero():
					return c.childError("the child ended before it was killed: %v", err)
				}
				if !last {
					p.stall, p.killedAt = crashStalled(gaps, lastLine, killedAt), killedAt
					p.stats.mu.Lock()
					p.stats.kills++
					if p.stall >= crashStall {
						p.stats.stalled++
						p.stats.worstStall = max(p.stats.worstStall, p.stall)
					}
					if long {
						p.stats.long++
					}
					p.stats.mu.Unlock()
				}
				return nil
			}
			if !killedAt.IsZero() && r.at.After(killedAt) {
				r.at = killedAt // written before the kill, read after it
			}
			if !lastLine.IsZero() && r.at.Sub(lastLine) >= crashStall {
				gaps = append(gaps, [2]time.Time{lastLine, r.at})
			}
			lastLine = r.at
			switch r.line.K {
			case "fail":
				return c.childError("the child failed: %s", r.line.Msg)
			case "resume":
				if err := p.checkResumed(r.line.Full, r.at, r.lag, false); err != nil {
					return c.childError("%v", err)
				}
			case "ready":
				if err := p.apply(crashLine{K: "done", Op: "ready", Times: r.line.Times}, r.at, r.lag); err != nil {
					return c.childError("%v", err)
				}
				d := time.Duration(5+p.rng.IntN(146)) * time.Millisecond
				if *crashLong > 0 && p.rng.IntN(*crashLong) == 0 {
					d, long = time.Duration(600+p.rng.IntN(1901))*time.Millisecond, true
				}
				timer = time.After(d)
			case "closed":
				if !last {
					return c.childError("the child closed without being asked")
				}
				if err := p.checkResumed(r.line.Full, r.at, r.lag, true); err != nil {
					return c.childError("after the clean stop: %v", err)
				}
				p.stats.mu.Lock()
				p.stats.closes++
				p.stats.mu.Unlock()
			default:
				if err := p.apply(r.line, r.at, r.lag); err != nil {
					return c.childError("%v", err)
				}
			}
		}
	}
}

// crashStalled is how long, in the last 3 seconds before the kill, the child went without
// a report for crashStall or more at a stretch: it was not running, or waited on a write, so
// its engine could not checkpoint either. A healthy child reports every few milliseconds.
func crashStalled(gaps [][2]time.Time, lastLine, killedAt time.Time) time.Duration {
	if killedAt.Sub(lastLine) >= crashStall {
		gaps = append(gaps, [2]time.Time{lastLine, killedAt})
	}
	from := killedAt.Add(-3 * time.Second)
	var total time.Duration
	for _, g := range gaps {
		if g[1].After(from) {
			total += g[1].Sub(crashLater(g[0], from))
		}
	}
	return total
}

func crashLater(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// apply folds a report into the model.
func (p *crashParent) apply(l crashLine, at time.Time, lag time.Duration) error {
	switch l.K {
	case "intent":
		p.inflight, p.sentAt = &l, at
		return nil
	case "typed":
		p.inflight, p.sentAt = &l, at
		m := p.model[l.A]
		if m == nil {
			return fmt.Errorf("typing in unknown attempt %s", l.A)
		}
		m.typed[l.Item] = append(m.typed[l.Item], l.Text)
		return nil
	case "done":
	default:
		return fmt.Errorf("unknown report %q", l.K)
	}
	p.stats.mu.Lock()
	p.stats.events++
	d := time.Duration(l.DurUS) * time.Microsecond
	p.stats.slowest = max(p.stats.slowest, d)
	if d > checkpointInterval {
		p.stats.slow++
	}
	p.stats.mu.Unlock()
	if l.Op != "saved" {
		p.inflight = nil
	}
	if l.Op == "admit" {
		p.model[l.A] = &crashModel{
			crashState: crashState{Choices: map[string]string{}, Flags: map[string]bool{}, Texts: map[string]string{}},
			typed:      map[string][]string{},
		}
	}
	if l.A != "" {
		m := p.model[l.A]
		if m == nil {
			return fmt.Errorf("%s of unknown attempt %s", l.Op, l.A)
		}
		switch l.Op {
		case "choose", "change":
			m.Choices[l.Item] = l.Option
		case "clear":
			delete(m.Choices, l.Item)
		case "flag":
			if l.Flag {
				m.Flags[l.Item] = true
			} else {
				delete(m.Flags, l.Item)
			}
		case "visit":
			m.Current = l.Index
		}
		for item, text := range l.Texts {
			m.Texts[item] = text
			m.typed[item] = nil
		}
	}
	for key, tm := range l.Times {
		if m := p.model[key]; m != nil {
			m.crashTime, m.UsedLoUS, m.usedAt, m.lag = tm, tm.UsedUS, at, lag
		}
	}
	return nil
}

// checkResumed checks an attempt's state as a new child found it (or as the child left it
// at a clean close) against the model and the in-flight operation, checks time used against
// the truth, and makes the report the model.
func (p *crashParent) checkResumed(full map[string]*crashState, at time.Time, lag time.Duration, clean bool) error {
	end := at // when the child stopped running
	if !clean {
		end = p.killedAt
	}
	in := p.inflight
	inflight := func(key string, ops ...string) *crashLine {
		if in != nil && in.A == key && slices.Contains(ops, in.Op) {
			return in
		}
		return nil
	}
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	for _, key := range slices.Sorted(maps.Keys(p.model)) {
		if full[key] == nil {
			fail("attempt %s, reported admitted, is gone", key)
		}
	}
	for _, key := range slices.Sorted(maps.Keys(full)) {
		got, m := full[key], p.model[key]
		if m == nil {
			if inflight(key, "admit") == nil {
				fail("attempt %s appeared without being admitted", key)
			}
			continue
		}
		switch {
		case got.State == m.State:
		case got.State == StatePaused && inflight(key, "pause") != nil:
		case got.State == StateRunning && inflight(key, "resume", "begin") != nil:
		default:
			fail("%s: state %s, reported %s", key, got.State, m.State)
		}
		if l := inflight(key, "extend"); got.AllowanceMS != m.AllowanceMS && (l == nil || got.AllowanceMS != m.AllowanceMS+l.Extend) {
			fail("%s: allowance %d ms, reported %d ms", key, got.AllowanceMS, m.AllowanceMS)
		}
		if l := inflight(key, "visit"); got.Current != m.Current && (l == nil || got.Current != l.Index) {
			fail("%s: on item %d, reported %d", key, got.Current, m.Current)
		}
		for _, item := range crashUnion(got.Choices, m.Choices) {
			l := inflight(key, "choose", "change", "clear")
			if got.Choices[item] != m.Choices[item] && (l == nil || l.Item != item || got.Choices[item] != l.Option) {
				fail("%s: item %s has answer %q, reported saved %q", key, item, got.Choices[item], m.Choices[item])
			}
		}
		for _, item := range crashUnion(got.Flags, m.Flags) {
			l := inflight(key, "flag")
			if got.Flags[item] != m.Flags[item] && (l == nil || l.Item != item || got.Flags[item] != l.Flag) {
				fail("%s: item %s flagged %v, reported %v", key, item, got.Flags[item], m.Flags[item])
			}
		}
		for _, item := range crashUnion(got.Texts, m.Texts) {
			g := got.Texts[item]
			if g != m.Texts[item] && !slices.Contains(m.typed[item], g) {
				fail("%s: task %s has text of %d bytes %q…, reported saved %d bytes %q…", key, item,
					len(g), crashHead(g), len(m.Texts[item]), crashHead(m.Texts[item]))
			}
		}

		// Time: what was reported, plus the running time from the report to the kill (or to
		// the report of the clean stop).
		truth := time.Duration(m.UsedUS) * time.Microsecond
		if m.State == StateRunning && end.After(m.usedAt) {
			truth += end.Sub(m.usedAt)
		}
		// The engine resumed with between lo and hi (see crashChild.full); the truth may be
		// short by as much as the parent was late reading the report, and is uncertain by as
		// much as the report was.
		hi := time.Duration(got.UsedUS) * time.Microsecond
		lo := time.Duration(got.UsedLoUS) * time.Microsecond
		window := time.Duration(m.UsedUS-m.UsedLoUS) * time.Microsecond
		over, under := lo-truth, truth-window-hi
		failTime := func() {
			fail("%s: resumed with %s to %s used; the truth is %s (%s reported %s before the kill, read %s late; %s); the child had stalled for %s in the 3 s before the kill",
				key, lo, hi, truth, time.Duration(m.UsedUS)*time.Microsecond, end.Sub(m.usedAt).Round(time.Millisecond),
				m.lag.Round(time.Millisecond), m.State, p.stall.Round(time.Millisecond))
		}
		p.stats.mu.Lock()
		p.stats.worstLag = max(p.stats.worstLag, m.lag)
		p.stats.worstWindow = max(p.stats.worstWindow, hi-lo)
		switch {
		case over > crashTolerance+m.lag:
			failTime() // never: time not used is charged
		case clean:
			p.stats.worstClean = max(p.stats.worstClean, over, under)
			if under > crashTolerance {
				failTime()
			}
		case p.stall >= crashStall:
			// The child had not run (or had waited on the disk) for a while: the engine could not
			// checkpoint, and the time it gives back is at most that of the stall more.
			p.stats.worstOver = max(p.stats.worstOver, over)
			p.stats.stalledUnder = max(p.stats.stalledUnder, under)
			if under > crashTolerance+p.stall {
				failTime()
			}
		default:
			p.stats.checks++
			p.stats.worstAbs = max(p.stats.worstAbs, over, under)
			p.stats.worstOver = max(p.stats.worstOver, over)
			p.stats.worstUnder = max(p.stats.worstUnder, under)
			if under > crashTolerance {
				failTime()
			}
		}
		p.stats.mu.Unlock()
	}
	if len(problems) > 0 {
		return fmt.Errorf("in flight for %s: %+v:\n%s", end.Sub(p.sentAt).Round(time.Millisecond), in, strings.Join(problems, "\n"))
	}
	p.model = map[string]*crashModel{}
	for key, got := range full {
		p.model[key] = &crashModel{crashState: *got, usedAt: at, lag: lag, typed: map[string][]string{}}
	}
	p.inflight = nil
	return nil
}

// reopen opens the cleanly closed database in this process and checks that it holds exactly
// what the child left, and time used to within a second.
func (p *crashParent) reopen() error {
	if p.failed.Load() {
		return nil
	}
	b, roster, _, err := loadCrashFixture(p.fixture)
	if err != nil {
		return err
	}
	clock := NewSystemClock()
	e, err := Open(p.db, Options{TerminalID: crashTerminal, Secret: testSecret, Clock: clock, ProgramVersion: "crash-test"})
	if err != nil {
		return err
	}
	defer e.Close()
	info, err := e.ActiveSession()
	if err != nil || info == nil {
		return fmt.Errorf("no active session after the clean stop: %v", err)
	}
	c := &crashChild{clock: clock, e: e, attempts: map[string]*Attempt{}, byID: map[string]string{},
		index: map[string]map[string]int{}, lastSet: map[string]map[string]string{}, dirty: map[string]map[string]bool{}}
	_, full, err := c.resume(info.ID, b, roster)
	if err != nil {
		return err
	}
	// Time stood still while nothing ran: compare with what the child reported.
	at := time.Now()
	for _, m := range p.model {
		m.usedAt, m.lag = at, 0
	}
	if err := p.checkResumed(full, at, 0, true); err != nil {
		return fmt.Errorf("reopening after the clean stop: %w", err)
	}
	return nil
}

func crashUnion[V any](a, b map[string]V) []string {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return slices.Sorted(maps.Keys(keys))
}

func crashHead(s string) string {
	r := []rune(s)
	return string(r[:min(len(r), 24)])
}
