package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"ispit/internal/cli"
	"ispit/internal/sshsig"
)

// command is how every subcommand of bankctl starts: its flags, and --trust and --at for the
// commands that check a signed file; parse checks the command line, and readSigned reads what
// those flags name.
type command struct {
	*cli.FlagSet
	trust, at *string
}

// newCommand makes the flags of the subcommand name.
func newCommand(name string, stdout io.Writer) *command {
	return &command{FlagSet: program.Flags(name, stdout)}
}

// withTrust adds --trust and --at, for a command that checks a signed file.
func (c *command) withTrust() *command {
	c.trust = c.String("trust", "", "trusted authority keys: a public key file or an allowed_signers file")
	c.at = c.String("at", "", "check validity at this time (RFC 3339) instead of now")
	return c
}

// parse parses the command line, which has want positional arguments (any number when want
// < 0), and returns them; the flags named in required must be given.
func (c *command) parse(args []string, want int, required ...string) ([]string, error) {
	positional, err := c.Parse(args, want)
	if err != nil {
		return nil, err
	}
	return positional, c.Require(required...)
}

// readSigned is how a command that checks a signed file starts: it parses the command line
// (the file, and --trust), and reads the moment to check validity at, the trusted keys and the
// file.
func (c *command) readSigned(args []string) (time.Time, *sshsig.Trust, []byte, error) {
	files, err := c.parse(args, 1, "trust")
	if err != nil {
		return time.Time{}, nil, nil, err
	}
	now, err := parseAt(*c.at)
	if err != nil {
		return time.Time{}, nil, nil, err
	}
	trust, err := sshsig.LoadTrust(*c.trust)
	if err != nil {
		return time.Time{}, nil, nil, err
	}
	data, err := os.ReadFile(files[0])
	return now, trust, data, err
}

// parseAt reads the --at flag: the moment to check validity at, now by default.
func parseAt(at string) (time.Time, error) {
	if at == "" {
		return time.Now(), nil
	}
	t, err := time.Parse(time.RFC3339, at)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: --at %q is not an RFC 3339 time like 2026-06-01T09:00:00Z", cli.ErrUsage, at)
	}
	return t, nil
}
