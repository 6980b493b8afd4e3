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

func TestRequire(t *testing.T) {
	p := &Program{Name: "tool", Commands: map[string]Command{"cmd": {Usage: "[FILE]"}}}
	tests := []struct {
		args []string
		want string // the usage error; none when empty
	}{
		{[]string{"--out", "x", "--sequence", "2"}, ""},
		{[]string{"--out", "x"}, "usage: missing --sequence"},
		{[]string{"--sequence", "2", "--out", ""}, "usage: missing --out"},
		{[]string{"FILE"}, "usage: missing --out, --sequence"},
		{[]string{"--sequence", "0", "--out", "x", "--lang", "bs"}, "usage: missing --sequence"},
	}
	for _, tt := range tests {
		fs := p.Flags("cmd", io.Discard)
		fs.String("out", "", "")
		fs.Int("sequence", 0, "")
		fs.String("lang", "bs", "") // not required: its default stands
		if _, err := fs.Parse(tt.args, -1); err != nil {
			t.Fatal(err)
		}
		err := fs.Require("out", "sequence")
		if got := fmt.Sprint(err); tt.want == "" && err != nil || tt.want != "" && (got != tt.want || !errors.Is(err, ErrUsage)) {
			t.Errorf("%q: %v, want %q", tt.args, err, tt.want)
		}
	}
}
