package scorer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"syscall"
)

// BackupSummary is what a backup holds, as read back from the copy on disk.
type BackupSummary struct {
	Sheets int64 // sheets stored
	Audit  int64 // entries of the audit log, whose chain verifies
	Bytes  int64 // the size of the file
}

// BackupSQLite writes a consistent copy of the scorer's SQLite database at src, as it was at
// one moment, to the new file dst, with SQLite's VACUUM INTO. It reads src through a read-only
// connection, so it changes and migrates nothing, and it can run while scorers serve from src:
// in WAL mode a reader holds back no writer, and what is committed after the copy's moment is
// simply not in it.
//
// dst is made with mode 0600 (it holds every sheet, the commission's work and the accounts'
// password hashes) and refused if it exists. Before BackupSQLite returns, the copy is synced
// to disk and read back: SQLite checks its integrity, and its audit chain must verify. A backup
// that fails leaves no file behind.
func BackupSQLite(ctx context.Context, src, dst string) (summary *BackupSummary, err error) {
	if _, err := os.Stat(src); err != nil {
		return nil, fmt.Errorf("no scorer database to back up: %w", err)
	}
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%s exists; a backup never overwrites a file", dst)
	}
	if err != nil {
		return nil, err
	}
	f.Close()
	defer func() {
		if err != nil {
			os.Remove(dst)
		}
	}()

	db, err := openSQLiteReadOnly(src)
	if err != nil {
		return nil, err
	}
	// VACUUM INTO writes into an empty file as into a new one, and the file keeps its mode.
	_, err = db.ExecContext(ctx, `VACUUM INTO ?`, dst)
	db.Close()
	if err != nil {
		return nil, fmt.Errorf("copying %s: %w", src, err)
	}
	if err := syncFile(dst); err != nil {
		return nil, fmt.Errorf("writing %s to disk: %w", dst, err)
	}
	summary, err = checkBackup(ctx, dst)
	if err != nil {
		return nil, fmt.Errorf("the copy %s does not read back: %w", dst, err)
	}
	return summary, nil
}

// openSQLiteReadOnly opens a SQLite database for reading only, waiting as the stores do while
// a writer holds it.
func openSQLiteReadOnly(path string) (*sql.DB, error) {
	q := url.Values{}
	q.Set("mode", "ro")
	q.Add("_pragma", "busy_timeout(10000)")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// syncFile makes a written file and its name in its folder durable.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	serr := f.Sync()
	if err := errors.Join(serr, f.Close()); err != nil {
		return err
	}
	dir, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer dir.Close()
	if err := dir.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) { // some file systems cannot sync a folder
		return err
	}
	return nil
}

// checkBackup reads a backup back: SQLite's quick check, the number of sheets, and the audit
// chain, which must verify.
func checkBackup(ctx context.Context, path string) (*BackupSummary, error) {
	db, err := openSQLiteReadOnly(path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var check string
	if err := db.QueryRowContext(ctx, `PRAGMA quick_check`).Scan(&check); err != nil {
		return nil, err
	}
	if check != "ok" {
		return nil, fmt.Errorf("SQLite's quick check: %s", check)
	}
	s := &BackupSummary{}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sheets`).Scan(&s.Sheets); err != nil {
		return nil, err
	}
	entries, err := queryAll(ctx, db, `SELECT `+auditColumns+` FROM audit ORDER BY seq`, nil, scanAudit)
	if err != nil {
		return nil, err
	}
	if broken := VerifyAuditChain(entries); broken != 0 {
		return nil, fmt.Errorf("the audit chain breaks at entry %d", broken)
	}
	s.Audit = int64(len(entries))
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	s.Bytes = info.Size()
	return s, nil
}
