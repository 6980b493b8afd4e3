package exam

// The figures issue 3 asks for:
//
//	go test ./exam -run '^$' -bench ChooseDurable -benchtime 2000x
//	go test ./exam -run '^$' -bench 'Resume|Sheet' -benchtime 30x
//
// BenchmarkChooseDurable reports the p50 and p99 of one durable Choose (target p99 < 10 ms);
// BenchmarkResume10000Events the time to resume an attempt of 10,000 events (target < 50 ms);
// BenchmarkSheet20Tasks5000Words the time to produce the sheet of a 20-task written exam of
// 5,000 words per task, and its size.

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/ssh"

	"ispit/bank"
	"ispit/internal/sshsig"
)

// BenchmarkChooseDurable is one Choose that changes the answer, so that it is written and
// synced, on the real clock and a database on disk; the engine's clock runs meanwhile.
func BenchmarkChooseDurable(b *testing.B) {
	f := demoFixture(b)
	e, err := Open(filepath.Join(b.TempDir(), "exam.db"), Options{TerminalID: "T-BENCH", Secret: testSecret, Clock: NewSystemClock(), ProgramVersion: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	s, err := e.StartSession(f.bank, f.roster, "public", "proctor-1", f.code)
	if err != nil {
		b.Fatal(err)
	}
	a := beginPublic(b, s, "DEMO-0001")
	items := make([]ItemView, a.Len())
	for i := range items {
		items[i], _ = a.Item(i)
	}
	chosen := map[string]string{}
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		v := items[i%len(items)]
		opt := v.Options[0].ID
		if chosen[v.Item.ID] == opt {
			opt = v.Options[1].ID
		}
		start := time.Now()
		if err := a.Choose(v.Item.ID, opt); err != nil {
			b.Fatal(err)
		}
		durations = append(durations, time.Since(start))
		chosen[v.Item.ID] = opt
	}
	b.StopTimer()
	p50, p99, worst := benchPercentiles(durations)
	b.ReportMetric(p50, "p50-ms")
	b.ReportMetric(p99, "p99-ms")
	b.ReportMetric(worst, "max-ms")
}

// benchPercentiles returns the median, the 99th percentile and the maximum, in milliseconds.
func benchPercentiles(d []time.Duration) (p50, p99, worst float64) {
	if len(d) == 0 {
		return 0, 0, 0
	}
	d = slices.Clone(d)
	slices.Sort(d)
	at := func(q float64) float64 {
		return float64(d[min(len(d)-1, int(q*float64(len(d))))]) / float64(time.Millisecond)
	}
	return at(0.50), at(0.99), float64(d[len(d)-1]) / float64(time.Millisecond)
}

// BenchmarkResume10000Events resumes, on a fresh engine each time, a session whose attempt
// has 10,000 events: in the public exam choices, changes, clears, flags and visits; in the
// written tasks text edits (Cyrillic and Albanian included), flags and visits. Only
// ResumeSession is timed; the engine is opened before it and closed after it.
func BenchmarkResume10000Events(b *testing.B) {
	for _, part := range []string{"public", "professional-written"} {
		dir := benchResumeDB(b, part, 10000) // once, not for every b.N the sub-benchmark tries
		b.Run(part, func(b *testing.B) {
			f := demoFixture(b)
			var open time.Duration
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				start := time.Now()
				e, err := Open(filepath.Join(dir, "exam.db"), Options{TerminalID: "T-01", Secret: testSecret, ProgramVersion: "bench"})
				if err != nil {
					b.Fatal(err)
				}
				open += time.Since(start)
				info, err := e.ActiveSession()
				if err != nil || info == nil {
					b.Fatalf("no active session: %v", err)
				}
				b.StartTimer()
				s, err := e.ResumeSession(info.ID, f.bank, f.roster)
				b.StopTimer()
				if err != nil {
					b.Fatal(err)
				}
				if as := s.Attempts(); len(as) != 1 || benchEvents(as[0]) != 10000 {
					b.Fatalf("resumed %d attempts", len(as))
				}
				if err := e.Close(); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.StopTimer()
			b.ReportMetric(float64(open)/float64(b.N)/float64(time.Millisecond), "open-ms")
		})
	}
}

func benchEvents(a *Attempt) int {
	a.engine().mu.Lock()
	defer a.engine().mu.Unlock()
	return a.lastSeq()
}

// benchResumeDB makes a database with one attempt of n events and returns its folder, on
// disk. It is written on tmpfs when there is one (10,000 synced writes to a disk take a
// minute), and copied to the disk once closed.
func benchResumeDB(b *testing.B, part string, n int) string {
	b.Helper()
	build := b.TempDir()
	if info, err := os.Stat("/dev/shm"); err == nil && info.IsDir() {
		if shm, err := os.MkdirTemp("/dev/shm", "ispit-bench-"); err == nil {
			b.Cleanup(func() { os.RemoveAll(shm) })
			build = shm
		}
	}
	clock := newFakeClock()
	e := openTestEngine(b, build, clock)
	f := demoFixture(b)
	s, err := e.StartSession(f.bank, f.roster, part, "proctor-1", f.code)
	if err != nil {
		b.Fatal(err)
	}
	a, err := s.Admit("DEMO-0004", part)
	if err != nil {
		b.Fatal(err)
	}
	if err := a.Begin("sq"); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	texts := map[string]string{}
	for benchEvents(a) < n {
		clock.Advance(50 * time.Millisecond)
		if err := benchOneEvent(a, rng, texts); err != nil {
			b.Fatal(err)
		}
	}
	if got := benchEvents(a); got != n {
		b.Fatalf("made %d events, want %d", got, n)
	}
	if err := e.Close(); err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	matches, _ := filepath.Glob(filepath.Join(build, "exam.db*"))
	for _, src := range matches {
		if err := benchCopy(src, filepath.Join(dir, filepath.Base(src))); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// benchOneEvent records exactly one event.
func benchOneEvent(a *Attempt, rng *rand.Rand, texts map[string]string) error {
	i := rng.IntN(a.Len())
	v, err := a.Item(i)
	if err != nil {
		return err
	}
	id := v.Item.ID
	switch r := rng.IntN(100); {
	case r < 10:
		return a.Flag(id, !v.Flagged)
	case r < 20 && i != a.Current():
		return a.Visit(i)
	case v.Item.Kind == bank.ItemWritten:
		text := crashEdit(rng, texts[id])
		if r < 85 || len(text) < 100 { // mostly typing at the end
			text = texts[id] + " " + crashWords[rng.IntN(len(crashWords))]
		}
		if err := a.SetText(id, text); err != nil {
			return err
		}
		texts[id] = text
		return a.FlushText()
	case r < 30 && v.Chosen != "":
		return a.Clear(id)
	default:
		opt := v.Options[rng.IntN(len(v.Options))].ID
		if opt == v.Chosen {
			return a.Flag(id, !v.Flagged)
		}
		return a.Choose(id, opt)
	}
}

func benchCopy(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// BenchmarkSheet20Tasks5000Words produces the sheet of a written exam of 20 tasks with 5,000
// words each. "build" builds and encodes the sheet of the attempt as it stands (what Submit
// does inside its transaction), over and over on one attempt; "submit" is the whole Submit,
// durable, on a fresh attempt each time.
func BenchmarkSheet20Tasks5000Words(b *testing.B) {
	w := newBenchWritten(b)
	b.Run("build", func(b *testing.B) {
		a := w.typedAttempt(b)
		e := a.engine()
		data := submitData{Reason: SubmitCandidate}
		raw, _ := json.Marshal(data)
		var size int
		b.ResetTimer()
		for range b.N {
			e.mu.Lock()
			ev := Event{Seq: len(a.events) + 1, At: e.clock.Now().UTC(), UsedMS: a.usedLocked().Milliseconds(), Kind: EventSubmit, Data: raw}
			sheet := a.sheetWith(ev, data).Marshal()
			e.mu.Unlock()
			size = len(sheet)
		}
		b.StopTimer()
		b.ReportMetric(float64(size), "sheet-bytes")
	})
	b.Run("submit", func(b *testing.B) {
		var size int
		b.ResetTimer()
		for range b.N {
			b.StopTimer()
			a := w.typedAttempt(b)
			b.StartTimer()
			sheet, err := a.Submit()
			b.StopTimer()
			if err != nil {
				b.Fatal(err)
			}
			size = len(sheet)
			w.check(b, sheet)
			a.engine().Close()
			b.StartTimer()
		}
		b.StopTimer()
		b.ReportMetric(float64(size), "sheet-bytes")
	})
}

// benchWritten is a bank with a written part of 20 tasks, its roster and 20 essays.
type benchWritten struct {
	bank   *bank.Bank
	roster *bank.Roster
	code   string
	essays []string
}

const (
	benchTasks = 20
	benchWords = 5000
)

func newBenchWritten(b *testing.B) *benchWritten {
	b.Helper()
	text := func(s string) bank.Text { return bank.Text{"bs": s, "sq": s + " (sq)"} }
	def := &bank.Definition{
		ID:         "bench-written",
		Title:      text("Pismeni ispit"),
		Languages:  []string{"bs", "sq"},
		ValidFrom:  time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		ValidUntil: time.Date(2030, 12, 31, 0, 0, 0, 0, time.UTC),
		Positions:  []bank.Position{{Code: "BENCH-1/2026", Department: text("Odsjek"), Openings: 1}},
		Correct:    map[string]string{},
	}
	part := bank.Part{ID: "written", Kind: bank.PartProfessionalWritten, Title: text("Pismeni zadaci"), Positions: []string{"*"},
		DurationSeconds: 6 * 3600, Count: benchTasks, MaxPoints: bank.ProfessionalMaxPoints, PassMark: bank.WrittenPassPoints}
	for i := range benchTasks {
		id := fmt.Sprintf("task-%02d", i+1)
		def.Items = append(def.Items, bank.Item{ID: id, Kind: bank.ItemWritten, Topic: "writing",
			Prompt: text(fmt.Sprintf("Zadatak %d", i+1)), MaxPoints: bank.ProfessionalMaxPoints / benchTasks})
		part.Items = append(part.Items, id)
	}
	def.Parts = []bank.Part{part}

	priv, pub, err := sshsig.GenerateKey("bench")
	if err != nil {
		b.Fatal(err)
	}
	signer, err := ssh.ParsePrivateKey(priv)
	if err != nil {
		b.Fatal(err)
	}
	trust, err := sshsig.ParseTrust(pub)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	built, err := bank.Build(def, bank.BuildOptions{Signer: signer, WorkFactor: 1, Now: now})
	if err != nil {
		b.Fatal(err)
	}
	v, err := bank.Verify(built.Bank, trust, now)
	if err != nil {
		b.Fatal(err)
	}
	bk, err := v.Open(built.StartCode)
	if err != nil {
		b.Fatal(err)
	}
	signed, err := bank.SignRoster([]byte("code,name,position,language\nB-0001,Benčmark Kandidat,BENCH-1/2026,sq\n"), signer)
	if err != nil {
		b.Fatal(err)
	}
	roster, err := bank.ReadRoster(signed, trust, now)
	if err != nil {
		b.Fatal(err)
	}
	w := &benchWritten{bank: bk, roster: roster, code: built.StartCode}
	var vocabulary []string // crashWords without the punctuation
	for _, word := range crashWords {
		if r, _ := utf8.DecodeRuneInString(word); unicode.IsLetter(r) {
			vocabulary = append(vocabulary, word)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range benchTasks {
		words := make([]string, benchWords)
		for j := range words {
			words[j] = vocabulary[rng.IntN(len(vocabulary))]
		}
		w.essays = append(w.essays, strings.Join(words, " "))
	}
	return w
}

// typedAttempt opens an engine on a fresh database and returns a running attempt with the
// 20 essays typed and durable.
func (w *benchWritten) typedAttempt(b *testing.B) *Attempt {
	b.Helper()
	e, err := Open(filepath.Join(b.TempDir(), "exam.db"), Options{TerminalID: "T-BENCH", Secret: testSecret, Clock: newFakeClock(), ProgramVersion: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { e.Close() })
	s, err := e.StartSession(w.bank, w.roster, "written", "proctor-1", w.code)
	if err != nil {
		b.Fatal(err)
	}
	a, err := s.Admit("B-0001", "written")
	if err != nil {
		b.Fatal(err)
	}
	if err := a.Begin("sq"); err != nil {
		b.Fatal(err)
	}
	for i := range benchTasks {
		v, _ := a.Item(i)
		if err := a.SetText(v.Item.ID, w.essays[i]); err != nil {
			b.Fatal(err)
		}
	}
	if err := a.FlushText(); err != nil {
		b.Fatal(err)
	}
	return a
}

// check makes sure the sheet carries the 20 essays whole.
func (w *benchWritten) check(b *testing.B, data []byte) {
	b.Helper()
	var sheet Sheet
	if err := json.Unmarshal(data, &sheet); err != nil {
		b.Fatal(err)
	}
	if len(sheet.Items) != benchTasks {
		b.Fatalf("%d items on the sheet", len(sheet.Items))
	}
	for i, it := range sheet.Items {
		if it.Text != w.essays[i] || len(strings.Fields(it.Text)) != benchWords {
			b.Fatalf("task %d: %d words on the sheet", i+1, len(strings.Fields(it.Text)))
		}
	}
}
