package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

func TestRunExitStatus(t *testing.T) {
	p := &Program{Name: "tool", About: "a tool", Commands: map[string]Command{
		"ok":    {Run: func([]string, io.Writer) error { return nil }},
		"fail":  {Run: func([]string, io.Writer) error { return errors.New("broken\nbadly") }},
		"usage": {Usage: "FILE", Run: func([]string, io.Writer) error { return fmt.Errorf("%w: no file", ErrUsage) }},
		"partial": {Run: func([]string, io.Writer) error {
			return fmt.Errorf("import: %w", &ExitError{Code: 3, Err: errors.New("2 questions skipped")})
		}},
	}}
	tests := []struct {
		cmd    string
		status int
		stderr string
	}{
		{"ok", 0, ""},
		{"fail", 1, "tool fail: broken badly\n"},
		{"usage", 2, "tool usage: usage: no file\nusage: tool usage FILE\n"},
		{"partial", 3, "tool partial: import: 2 questions skipped\n"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		if got := p.Run([]string{tt.cmd}, &stdout, &stderr); got != tt.status || stderr.String() != tt.stderr {
			t.Errorf("%s: exit %d, stderr %q; want %d, %q", tt.cmd, got, stderr.String(), tt.status, tt.stderr)
		}
	}
	if err := (&ExitError{Code: 3, Err: ErrUsage}); !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), "usage") {
		t.Errorf("ExitError does not unwrap: %v", err)
	}
}
