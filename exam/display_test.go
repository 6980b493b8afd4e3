package exam

import (
	"errors"
	"testing"
)

func TestDisplayIsKeptWithTheAttempt(t *testing.T) {
	tests := []struct {
		name    string
		set     []Display // in order; the last is kept
		wantErr error
	}{
		{"large text", []Display{{TextSize: 1}}, nil},
		{"largest text and high contrast", []Display{{TextSize: 2, HighContrast: true}}, nil},
		{"changed back to normal", []Display{{TextSize: 2, HighContrast: true}, {}}, nil},
		{"a step too large", []Display{{TextSize: MaxTextSize + 1}}, ErrBadDisplay},
		{"a negative step", []Display{{TextSize: -1}}, ErrBadDisplay},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, s, clock, dir := startTestSession(t)
			a, err := s.Admit("DEMO-0001", "public")
			if err != nil {
				t.Fatal(err)
			}
			if d, ok := a.Display(); ok {
				t.Fatalf("a new attempt has display settings %+v", d)
			}
			var err2 error
			for _, d := range tt.set {
				err2 = a.SetDisplay(d)
			}
			if !errors.Is(err2, tt.wantErr) {
				t.Fatalf("SetDisplay: %v, want %v", err2, tt.wantErr)
			}
			want, wantOK := tt.set[len(tt.set)-1], tt.wantErr == nil
			if got, ok := a.Display(); ok != wantOK || (ok && got != want) {
				t.Fatalf("display %+v, %v; want %+v, %v", got, ok, want, wantOK)
			}
			e.Close()

			e2 := openTestEngine(t, dir, clock)
			defer e2.Close()
			s2, err := e2.ResumeSession(s.Info.ID, s.Bank, s.Roster)
			if err != nil {
				t.Fatal(err)
			}
			a2, _ := s2.Attempt(a.ID())
			if got, ok := a2.Display(); ok != wantOK || (ok && got != want) {
				t.Fatalf("after a restart: display %+v, %v; want %+v, %v", got, ok, want, wantOK)
			}
		})
	}
}

func TestDisplayChangesInEveryState(t *testing.T) {
	_, s, _, _ := startTestSession(t)
	a, err := s.Admit("DEMO-0001", "public")
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		state State
		to    func() error
	}{
		{StateAdmitted, func() error { return nil }},
		{StateRunning, func() error { return a.Begin("bs") }},
		{StatePaused, func() error { return a.Pause("proctor-1", "a test") }},
		{StateSubmitted, func() error { return s.End("proctor-1", "a test") }},
	}
	for i, st := range steps {
		if err := st.to(); err != nil {
			t.Fatal(err)
		}
		d := Display{TextSize: i % (MaxTextSize + 1), HighContrast: i%2 == 1}
		if err := a.SetDisplay(d); err != nil {
			t.Errorf("%s: %v", st.state, err)
		}
		if got, _ := a.Display(); got != d {
			t.Errorf("%s: display %+v, want %+v", st.state, got, d)
		}
	}
	if st, _ := a.State(); st != StateSubmitted {
		t.Fatalf("state %s", st)
	}
}
