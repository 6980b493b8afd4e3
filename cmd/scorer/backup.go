package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"ispit/internal/cli"
	"ispit/scorer"
)

// runBackup writes a consistent copy of the scorer's SQLite database while scorers serve from
// it. A PostgreSQL database is backed up with pg_dump instead: the command says how, and exits
// with status 2.
func runBackup(args []string, stdout io.Writer) error {
	c := newCommand("backup", stdout).withStore()
	out := c.String("out", "", "the backup file to write (never overwritten; made 0600)")
	if _, err := c.parse(args, 0, "out"); err != nil {
		return err
	}
	switch {
	case scorer.IsPostgresURL(*c.db):
		return &cli.ExitError{Code: 2, Err: fmt.Errorf("a PostgreSQL database is backed up with pg_dump, which takes a consistent copy while scorers serve: %s "+
			"(restore it with pg_restore; see docs/deployment.md)", pgDumpCommand(*c.db, *out))}
	case *c.db != "":
		return fmt.Errorf("%w: --db: %v", cli.ErrUsage, scorer.ErrDatabaseURL)
	}
	summary, err := scorer.BackupSQLite(context.Background(), filepath.Join(*c.data, scorer.SQLiteFile), *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %d sheets and %d audit entries (the chain verifies) to %s, %.1f MiB\n",
		summary.Sheets, summary.Audit, *out, float64(summary.Bytes)/(1<<20))
	return nil
}

// pgDumpCommand is the pg_dump command that backs up the database at dbURL to the file out, in
// pg_dump's custom format (for pg_restore), quoted for a POSIX shell. A password in the URL is
// left out: pg_dump takes it from PGPASSWORD or ~/.pgpass, as the scorer does.
func pgDumpCommand(dbURL, out string) string {
	if u, err := url.Parse(dbURL); err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.User(u.User.Username())
			dbURL = u.String()
		}
	}
	return "pg_dump --format=custom --file=" + shellQuote(out) + " --dbname=" + shellQuote(dbURL)
}

// shellQuote quotes s for a POSIX shell where it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./_-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
