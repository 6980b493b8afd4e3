package pgtest

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
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

// TestProgram finds the client programs beside the server's, and says where it looked for one
// that is not there.
func TestProgram(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"pg_dump", true},
		{"pg_restore", true},
		{"no_such_program", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, err := Program(tt.name)
			if errors.Is(err, ErrNotInstalled) {
				fail(t, err)
			}
			switch {
			case tt.ok && (err != nil || filepath.Base(path) != tt.name || !hasPrograms(filepath.Dir(path), "initdb")):
				t.Errorf("%q, %v: want %s beside initdb", path, err, tt.name)
			case !tt.ok && (err == nil || !strings.Contains(err.Error(), tt.name+" is not in ")):
				t.Errorf("%q, %v: want an error naming %s and where it was looked for", path, err, tt.name)
			}
		})
	}
}
