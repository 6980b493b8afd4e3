package exam

import (
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// drain collects the notifications of kind k received so far.
func drain(ch <-chan Notification, k NotificationKind) []Notification {
	var got []Notification
	for {
		select {
		case n := <-ch:
			if n.Kind == k {
				got = append(got, n)
			}
		default:
			return got
		}
	}
}

func TestWarningsAndTimeOut(t *testing.T) {
	e, s, clock, _ := startTestSession(t)
	ch, cancel := e.Subscribe()
	defer cancel()
	a := beginPublic(t, s, "DEMO-0001")
	first, _ := a.Item(0)
	if err := a.Choose(first.Item.ID, first.Options[0].ID); err != nil {
		t.Fatal(err)
	}
	var minutes []int
	for range 30 * 60 / 15 {
		clock.Advance(15 * time.Second)
		e.tick()
		for _, n := range drain(ch, NotifyWarning) {
			minutes = append(minutes, n.Minutes)
		}
	}
	if len(minutes) != 3 || minutes[0] != 10 || minutes[1] != 5 || minutes[2] != 1 {
		t.Fatalf("warnings at %v minutes, want [10 5 1]", minutes)
	}
	if st, reason := a.State(); st != StateSubmitted || reason != SubmitTimeOut {
		t.Fatalf("after 30 minutes: %s, %s", st, reason)
	}
	clock.Advance(time.Minute)
	e.tick()
	e.tick()
	if n := len(drain(ch, NotifyTimeOut)); n != 0 {
		t.Fatalf("%d more time-out notifications after the first", n)
	}
	sheet := a.Sheet()
	if !strings.Contains(string(sheet), `"submit_reason":"time-out"`) || !strings.Contains(string(sheet), `"used_ms":1800000`) {
		t.Fatalf("sheet: %.300s", sheet)
	}
	if err := a.Choose(first.Item.ID, first.Options[1].ID); !errors.Is(err, ErrSubmitted) {
		t.Fatalf("answer after time-out: %v", err)
	}
}

func TestWallClockJumpsChangeNothing(t *testing.T) {
	e, s, clock, _ := startTestSession(t)
	a := beginPublic(t, s, "DEMO-0001")
	clock.Advance(5 * time.Minute)
	e.tick()
	before := a.TimeLeft()
	clock.JumpWall(3 * time.Hour)
	e.tick()
	if a.TimeLeft() != before {
		t.Fatalf("forward jump: %s left, was %s", a.TimeLeft(), before)
	}
	clock.JumpWall(-6 * time.Hour)
	e.tick()
	if a.TimeLeft() != before {
		t.Fatalf("backward jump: %s left, was %s", a.TimeLeft(), before)
	}
	clock.Advance(time.Minute)
	if a.TimeLeft() != before-time.Minute {
		t.Fatalf("after a minute: %s left, want %s", a.TimeLeft(), before-time.Minute)
	}
	if st, _ := a.State(); st != StateRunning {
		t.Fatalf("state %s", st)
	}
}

func TestPauseStopsTheClock(t *testing.T) {
	e, s, clock, _ := startTestSession(t)
	a := beginPublic(t, s, "DEMO-0001")
	clock.Advance(2 * time.Minute)
	if err := a.Pause("proctor-1", "fire alarm"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(20 * time.Minute)
	e.tick()
	if a.Used() != 2*time.Minute {
		t.Fatalf("used %s while paused", a.Used())
	}
	if err := a.Resume("proctor-1", "all clear"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	if a.Used() != 3*time.Minute {
		t.Fatalf("used %s after resume", a.Used())
	}
}

func TestTimeOutWhileTerminalIsDownSubmitsOnceOnResume(t *testing.T) {
	e, s, clock, dir := startTestSession(t)
	a := beginPublic(t, s, "DEMO-0001")
	clock.Advance(29*time.Minute + 59*time.Second)
	e.tick()
	clock.Advance(400 * time.Millisecond)
	if err := a.Visit(3); err != nil { // an event makes the used time durable
		t.Fatal(err)
	}
	e.Close()

	clock.Advance(2 * time.Hour)
	e2 := openTestEngine(t, dir, clock)
	s2, err := e2.ResumeSession(s.Info.ID, s.Bank, s.Roster)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s2.Attempt(a.ID())
	if st, _ := r.State(); st != StateRunning || r.TimeLeft() > time.Second {
		t.Fatalf("resumed %s with %s left", st, r.TimeLeft())
	}
	clock.Advance(time.Second)
	e2.tick()
	if st, reason := r.State(); st != StateSubmitted || reason != SubmitTimeOut {
		t.Fatalf("after the last second: %s %s", st, reason)
	}
	e2.Close()

	e3 := openTestEngine(t, dir, clock)
	defer e3.Close()
	s3, err := e3.ResumeSession(s.Info.ID, s.Bank, s.Roster)
	if err != nil {
		t.Fatal(err)
	}
	r3, _ := s3.Attempt(a.ID())
	if st, _ := r3.State(); st != StateSubmitted || string(r3.Sheet()) != string(r.Sheet()) {
		t.Fatalf("after another restart: %s, same sheet %v", st, string(r3.Sheet()) == string(r.Sheet()))
	}
	var submits int
	e3.db.QueryRow(`SELECT count(*) FROM events WHERE attempt_id = ? AND kind = 'submit'`, a.ID()).Scan(&submits)
	if submits != 1 {
		t.Fatalf("%d submit events", submits)
	}
}

func TestWrittenTaskText(t *testing.T) {
	e, s, clock, dir := startTestSession(t)
	ch, cancel := e.Subscribe()
	defer cancel()
	a, err := s.Admit("DEMO-0001", "professional-written")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Begin("sr-Cyrl"); err != nil {
		t.Fatal(err)
	}
	task, _ := a.Item(0)
	texts := []string{"Реш", "Решење о приступу", "Решење: приступ се одобрава. Ç ë ž", "Решење: приступ се делимично одобрава. Ç ë ž"}
	for _, text := range texts {
		if err := a.SetText(task.Item.ID, text); err != nil {
			t.Fatal(err)
		}
	}
	if v, _ := a.Item(0); v.Text != texts[3] || v.Saved {
		t.Fatalf("before the flush: %+v", v)
	}
	clock.Advance(300 * time.Millisecond)
	e.tick()
	if len(drain(ch, NotifySaved)) != 0 {
		t.Fatal("typing saved before its delay")
	}
	clock.Advance(300 * time.Millisecond)
	e.tick()
	if v, _ := a.Item(0); !v.Saved || len(drain(ch, NotifySaved)) != 1 {
		t.Fatalf("after the delay: saved %v", v.Saved)
	}
	a.SetText(task.Item.ID, "Решење: приступ се одбија.")
	if err := a.FlushText(); err != nil {
		t.Fatal(err)
	}
	e.Close()
	e2 := openTestEngine(t, dir, clock)
	defer e2.Close()
	s2, err := e2.ResumeSession(s.Info.ID, s.Bank, s.Roster)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s2.Attempt(a.ID())
	if v, _ := r.Item(0); v.Text != "Решење: приступ се одбија." {
		t.Fatalf("after restart: %q", v.Text)
	}
	if r.Language() != "sr-Cyrl" {
		t.Fatalf("language %s", r.Language())
	}
}

func TestDiffTextKeepsCharactersWhole(t *testing.T) {
	tests := []struct{ old, new string }{
		{"", "abc"}, {"abc", ""}, {"čaša", "čaša vode"}, {"жена", "жене"}, {"ëë", "ëç"},
		{"aaa", "aa"}, {"a\u0301b", "ab"}, {"šš", "š"}, {"Ж", "Ш"},
	}
	for _, tt := range tests {
		d, changed := diffText("t", []byte(tt.old), tt.new)
		if !changed {
			t.Fatalf("%q → %q: no change", tt.old, tt.new)
		}
		if got := string(applyEdit([]byte(tt.old), d)); got != tt.new {
			t.Fatalf("%q → %q: edit %+v gives %q", tt.old, tt.new, d, got)
		}
		if !strings.HasPrefix(tt.new[d.At:], d.Insert) || !validUTF8(d.Insert) {
			t.Fatalf("%q → %q: edit %+v cuts a character", tt.old, tt.new, d)
		}
	}
}

func validUTF8(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

func TestSheetIsDeterministic(t *testing.T) {
	e, s, clock, dir := startTestSession(t)
	a := beginPublic(t, s, "DEMO-0004")
	for i := range 5 {
		v, _ := a.Item(i)
		a.Choose(v.Item.ID, v.Options[i%len(v.Options)].ID)
		clock.Advance(10 * time.Second)
	}
	sheet, err := a.Submit()
	if err != nil {
		t.Fatal(err)
	}
	e.Close()
	e2 := openTestEngine(t, dir, clock)
	defer e2.Close()
	s2, err := e2.ResumeSession(s.Info.ID, s.Bank, s.Roster)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s2.Attempt(a.ID())
	last := r.events[len(r.events)-1]
	r.events = r.events[:len(r.events)-1]
	again := r.sheetWith(last, submitData{Reason: SubmitCandidate}).Marshal()
	if string(again) != string(sheet) {
		t.Fatalf("the sheet rebuilt from the stored events differs:\n%s\n%s", sheet, again)
	}
	for _, want := range []string{`"candidate":{"code":"DEMO-0004","name":"Arbër Krasniqi","position":"DEMO-14/2026"}`, `"terminal":"T-01"`, `"program_version":"test"`, `"kind":"choose"`} {
		if !strings.Contains(string(sheet), want) {
			t.Fatalf("sheet lacks %s", want)
		}
	}
}

func TestTamperedDatabaseIsRefused(t *testing.T) {
	tamper := []struct {
		name string
		sql  string
	}{
		{"answer changed", `DROP TRIGGER events_append_only_update; UPDATE events SET data = replace(data, '"option":"', '"option":"x') WHERE kind = 'choose'`},
		{"event removed", `DROP TRIGGER events_append_only_delete; DELETE FROM events WHERE kind = 'choose'`},
		{"time rolled back", `UPDATE attempts SET used_ms = 0`},
		{"state changed", `UPDATE attempts SET state = 'paused'`},
	}
	for _, tt := range tamper {
		t.Run(tt.name, func(t *testing.T) {
			e, s, clock, dir := startTestSession(t)
			a := beginPublic(t, s, "DEMO-0001")
			v, _ := a.Item(0)
			a.Choose(v.Item.ID, v.Options[0].ID)
			clock.Advance(time.Minute)
			a.Visit(2)
			e.Close()
			db, err := sql.Open("sqlite", filepath.Join(dir, "exam.db"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(tt.sql); err != nil {
				t.Fatal(err)
			}
			db.Close()
			e2 := openTestEngine(t, dir, clock)
			defer e2.Close()
			if _, err := e2.ResumeSession(s.Info.ID, s.Bank, s.Roster); !errors.Is(err, ErrTampered) {
				t.Fatalf("err = %v, want ErrTampered", err)
			}
		})
	}
}

func TestEventsAreAppendOnly(t *testing.T) {
	e, s, _, _ := startTestSession(t)
	beginPublic(t, s, "DEMO-0001")
	if _, err := e.db.Exec(`UPDATE events SET kind = 'x'`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("update of events: %v", err)
	}
	if _, err := e.db.Exec(`DELETE FROM events`); err == nil {
		t.Fatal("delete of events succeeded")
	}
}

func TestDamagedDatabaseIsRefusedAndKept(t *testing.T) {
	dir := t.TempDir()
	clock := newFakeClock()
	e := openTestEngine(t, dir, clock)
	f := demoFixture(t)
	s, _ := e.StartSession(f.bank, f.roster, "public", "proctor-1", f.code)
	beginPublic(t, s, "DEMO-0001")
	e.Close()
	path := filepath.Join(dir, "exam.db")
	whole, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"half written": whole[:len(whole)/2+100],
		"not sqlite":   []byte("this is not a database, just some text that fills the header"),
		"zeroed page":  append(append(append([]byte(nil), whole[:4096]...), make([]byte, 4096)...), whole[8192:]...),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "exam.db")
			os.WriteFile(p, data, 0o600)
			e, err := Open(p, Options{TerminalID: "T-01", Secret: testSecret, Clock: clock})
			if err == nil {
				_, err = e.ActiveSession()
				if err == nil {
					var s *Session
					s, err = e.ResumeSession(mustActive(t, e), f.bank, f.roster)
					_ = s
				}
				e.Close()
			}
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrTampered) {
				t.Fatalf("err = %v, want ErrCorrupt or ErrTampered", err)
			}
			after, _ := os.ReadFile(p)
			if string(after) != string(data) {
				t.Fatal("the damaged file was changed")
			}
		})
	}
}

func mustActive(t *testing.T, e *Engine) string {
	info, err := e.ActiveSession()
	if err != nil || info == nil {
		return "none"
	}
	return info.ID
}
