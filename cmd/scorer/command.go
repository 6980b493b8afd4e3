package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"ispit/internal/cli"
	"ispit/internal/sshsig"
	"ispit/scorer"
)

// command is how every subcommand of the scorer starts: its flags, --data (the scorer's data
// folder) among them, and --db and --trust for the commands that open the store or read the
// authority's files; parse checks the command line, and the methods open what the flags name.
type command struct {
	*cli.FlagSet
	data, db, trust *string
}

// newCommand makes the flags of the subcommand name, with --data.
func newCommand(name string, stdout io.Writer) *command {
	fs := program.Flags(name, stdout)
	return &command{FlagSet: fs, data: fs.String("data", "", "the scorer's data folder")}
}

// withStore adds --db, for a command that opens the store.
func (c *command) withStore() *command {
	c.db = c.String("db", "", "the PostgreSQL database, postgres://USER@HOST:PORT/NAME (default: SQLite, "+scorer.SQLiteFile+" in the data folder)")
	return c
}

// trustUsage is the help of --trust for the commands that load an authority's signed file.
const trustUsage = "trusted authority keys: a public key file or an allowed_signers file"

// withTrust adds --trust, the authority's keys, with its help text.
func (c *command) withTrust(usage string) *command {
	c.trust = c.String("trust", "", usage)
	return c
}

// parse parses the command line, which has want positional arguments (any number when want
// < 0), and returns them; --data and the flags named in required must be given.
func (c *command) parse(args []string, want int, required ...string) ([]string, error) {
	positional, err := c.Parse(args, want)
	if err != nil {
		return nil, err
	}
	return positional, c.Require(append([]string{"data"}, required...)...)
}

// keysDir is the folder of the scorer's keys in the data folder.
func (c *command) keysDir() string { return filepath.Join(*c.data, "keys") }

// keys loads the scorer's keys.
func (c *command) keys() (*scorer.Keys, error) { return scorer.LoadKeys(c.keysDir()) }

// openStore opens the store of the data folder, or the PostgreSQL database --db names; the
// caller closes it.
func (c *command) openStore() (scorer.Store, error) {
	store, err := scorer.OpenStore(context.Background(), *c.db, *c.data)
	if errors.Is(err, scorer.ErrDatabaseURL) {
		return nil, fmt.Errorf("%w: --db: %v", cli.ErrUsage, err)
	}
	return store, err
}

// readSigned is how a command that loads one of the authority's signed files starts: it parses
// the command line (the file, and the flags; --trust and those named in required must be
// given) and reads the trusted keys and the file.
func (c *command) readSigned(args []string, required ...string) (*sshsig.Trust, []byte, error) {
	files, err := c.parse(args, 1, append([]string{"trust"}, required...)...)
	if err != nil {
		return nil, nil, err
	}
	trust, err := sshsig.LoadTrust(*c.trust)
	if err != nil {
		return nil, nil, err
	}
	file, err := os.ReadFile(files[0])
	return trust, file, err
}
