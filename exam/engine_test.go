package exam

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestAnswerFlowAndResume(t *testing.T) {
	e, s, clock, dir := startTestSession(t)
	a := beginPublic(t, s, "demo-0001")
	if a.Len() != 21 || a.TimeLeft() != 30*time.Minute {
		t.Fatalf("len %d, time left %s", a.Len(), a.TimeLeft())
	}
	first, _ := a.Item(0)
	second, _ := a.Item(1)
	if err := a.Choose(first.Item.ID, first.Options[2].ID); err != nil {
		t.Fatal(err)
	}
	if err := a.Choose(first.Item.ID, first.Options[1].ID); err != nil {
		t.Fatal(err)
	}
	if err := a.Choose(second.Item.ID, second.Options[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := a.Clear(second.Item.ID); err != nil {
		t.Fatal(err)
	}
	if err := a.Flag(second.Item.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := a.Visit(5); err != nil {
		t.Fatal(err)
	}
	clock.Advance(90 * time.Second)
	e.tick()

	nav := a.Navigator()
	if !nav[0].Answered || nav[1].Answered || !nav[1].Flagged || len(a.Unanswered()) != 20 {
		t.Fatalf("navigator %+v", nav[:2])
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}

	// The terminal is down for an hour: that time is not the candidate's.
	clock.Advance(time.Hour)
	e2 := openTestEngine(t, dir, clock)
	defer e2.Close()
	info, err := e2.ActiveSession()
	if err != nil || info == nil || info.ID != s.Info.ID || info.StartCode != demoFixture(t).code {
		t.Fatalf("active session %+v, %v", info, err)
	}
	s2, err := e2.ResumeSession(info.ID, s.Bank, s.Roster)
	if err != nil {
		t.Fatal(err)
	}
	resumed, ok := s2.Attempt(a.ID())
	if !ok {
		t.Fatal("attempt not resumed")
	}
	if st, _ := resumed.State(); st != StateRunning || resumed.Current() != 5 || resumed.Used() != 90*time.Second {
		t.Fatalf("resumed: state %s, current %d, used %s", st, resumed.Current(), resumed.Used())
	}
	v, _ := resumed.Item(0)
	if v.Chosen != first.Options[1].ID {
		t.Fatalf("item 0 chosen %q, want %q", v.Chosen, first.Options[1].ID)
	}
	v, _ = resumed.Item(1)
	if v.Chosen != "" || !v.Flagged {
		t.Fatalf("item 1: %+v", v)
	}
	optionIDs := func(v ItemView) (ids []string) {
		for _, o := range v.Options {
			ids = append(ids, o.ID)
		}
		return ids
	}
	if !slices.Equal(optionIDs(v), optionIDs(second)) {
		t.Fatalf("options shown in another order after resume: %v, was %v", optionIDs(v), optionIDs(second))
	}
}

func TestTransitionsAndBadInput(t *testing.T) {
	_, s, _, _ := startTestSession(t)
	a, err := s.Admit("DEMO-0002", "public")
	if err != nil {
		t.Fatal(err)
	}
	item0 := func() ItemView { v, _ := a.Item(0); return v }
	steps := []struct {
		name string
		do   func() error
		want error
	}{
		{"choose before begin", func() error { return a.Choose(item0().Item.ID, "a") }, ErrNotRunning},
		{"pause before begin", func() error { return a.Pause("p", "r") }, ErrBadTransition},
		{"unknown language", func() error { return a.Begin("de") }, ErrUnknownLanguage},
		{"begin", func() error { return a.Begin("hr") }, nil},
		{"begin twice", func() error { return a.Begin("hr") }, ErrBadTransition},
		{"unknown item", func() error { return a.Choose("no-such-item", "a") }, ErrUnknownItem},
		{"unknown option", func() error { return a.Choose(item0().Item.ID, "zz") }, ErrUnknownOption},
		{"text on a choice item", func() error { return a.SetText(item0().Item.ID, "x") }, ErrWrongItemKind},
		{"flag unknown item", func() error { return a.Flag("nope", true) }, ErrUnknownItem},
		{"visit out of range", func() error { return a.Visit(21) }, ErrUnknownItem},
		{"resume while running", func() error { return a.Resume("p", "r") }, ErrBadTransition},
		{"pause without reason", func() error { return a.Pause("proctor-1", " ") }, ErrReasonRequired},
		{"pause", func() error { return a.Pause("proctor-1", "candidate unwell") }, nil},
		{"choose while paused", func() error { return a.Choose(item0().Item.ID, item0().Options[0].ID) }, ErrNotRunning},
		{"pause twice", func() error { return a.Pause("proctor-1", "again") }, ErrBadTransition},
		{"extend without reason", func() error { return a.Extend("proctor-1", "", time.Minute) }, ErrReasonRequired},
		{"extend zero", func() error { return a.Extend("proctor-1", "x", 0) }, ErrBadTransition},
		{"extend", func() error { return a.Extend("proctor-1", "power cut in the room", 10*time.Minute) }, nil},
		{"resume", func() error { return a.Resume("proctor-1", "candidate back") }, nil},
		{"choose", func() error { return a.Choose(item0().Item.ID, item0().Options[0].ID) }, nil},
		{"submit", func() error { _, err := a.Submit(); return err }, nil},
		{"submit twice", func() error { _, err := a.Submit(); return err }, ErrSubmitted},
		{"answer after submit", func() error { return a.Choose(item0().Item.ID, item0().Options[1].ID) }, ErrSubmitted},
		{"pause after submit", func() error { return a.Pause("p", "r") }, ErrSubmitted},
		{"extend after submit", func() error { return a.Extend("p", "r", time.Minute) }, ErrSubmitted},
	}
	for _, st := range steps {
		err := st.do()
		if (st.want == nil && err != nil) || (st.want != nil && !errors.Is(err, st.want)) {
			t.Fatalf("%s: err = %v, want %v", st.name, err, st.want)
		}
	}
	if a.Allowance() != 40*time.Minute {
		t.Fatalf("allowance %s", a.Allowance())
	}
	if v := item0(); v.Chosen != v.Options[0].ID {
		t.Fatalf("the answer changed after submission: %+v", v)
	}
}

func TestSecondAttemptIsRefused(t *testing.T) {
	_, s, _, _ := startTestSession(t)
	beginPublic(t, s, "DEMO-0003")
	_, err := s.Admit("demo-0003", "public")
	var already *AlreadyAttemptedError
	if !errors.As(err, &already) || already.Terminal != "T-01" || already.State != StateRunning {
		t.Fatalf("err = %v", err)
	}
	if _, err := s.Admit("DEMO-0003", "professional-choice"); err != nil {
		t.Fatalf("another part: %v", err)
	}
	if _, err := s.Admit("NOBODY", "public"); !errors.Is(err, ErrUnknownCand) {
		t.Fatalf("unknown candidate: %v", err)
	}
	if _, err := s.Admit("DEMO-0003", "no-such-part"); !errors.Is(err, ErrPartNotForCand) {
		t.Fatalf("unknown part: %v", err)
	}
}
