package pgtest

import (
	"errors"
	"fmt"
	"runtime"
	"testing"
)

// recorder is a test that records whether it was skipped or failed; like a real one, it stops
// there.
type recorder struct {
	testing.TB
	skipped, failed bool
}

func (r *recorder) Helper()             {}
func (r *recorder) Skip(...any)         { r.skipped = true; runtime.Goexit() }
func (r *recorder) Fatal(...any)        { r.failed = true; runtime.Goexit() }
func (r *recorder) Logf(string, ...any) {}

// TestFail checks when a test without a server skips: only when PostgreSQL is not installed
// and ISPIT_SKIP_POSTGRES=1 says so.
func TestFail(t *testing.T) {
	tests := []struct {
		name string
		err  error
		env  string
		skip bool
	}{
		{"not installed", ErrNotInstalled, "", false},
		{"not installed, skipping allowed", ErrNotInstalled, "1", true},
		{"not installed, skipping not allowed", ErrNotInstalled, "0", false},
		{"not installed, wrapped", fmt.Errorf("server: %w", ErrNotInstalled), "1", true},
		{"installed but initdb failed", errors.New("initdb: exit status 1"), "1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(SkipEnv, tt.env)
			r := &recorder{TB: t}
			done := make(chan struct{})
			go func() {
				defer close(done)
				fail(r, tt.err)
			}()
			<-done
			if r.skipped != tt.skip || r.failed == tt.skip {
				t.Errorf("skipped %v, failed %v", r.skipped, r.failed)
			}
		})
	}
}
