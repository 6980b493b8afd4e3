package scorer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// SQLiteFile is the name of the SQLite database in the scorer's data folder.
const SQLiteFile = "scorer.db"

// ErrDatabaseURL refuses a database named neither by a PostgreSQL URL nor by nothing (SQLite).
var ErrDatabaseURL = errors.New("the database must be a postgres:// or postgresql:// URL (or none, for SQLite in the data folder)")

// IsPostgresURL reports whether db names a PostgreSQL database: a postgres:// or
// postgresql:// URL.
func IsPostgresURL(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// OpenStore opens the scorer's store: the PostgreSQL database db names when it is a
// postgres:// or postgresql:// URL, or, when db is empty, the SQLite database in the data
// folder dataDir (made if need be). Anything else in db is refused, so that a mistyped URL
// does not quietly start a scorer on an empty SQLite database.
func OpenStore(ctx context.Context, db, dataDir string) (Store, error) {
	switch {
	case IsPostgresURL(db):
		return OpenPostgres(ctx, db)
	case db != "":
		return nil, ErrDatabaseURL // without db, which may hold a password
	case dataDir == "":
		return nil, errors.New("no data folder for the SQLite database")
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, err
	}
	return OpenSQLite(filepath.Join(dataDir, SQLiteFile))
}
