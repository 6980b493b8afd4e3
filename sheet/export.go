package sheet

import (
	"fmt"
	"os"
	"path/filepath"
)

// Exporter is the part of the kiosk's outbox an export needs; *exam.Engine is one.
type Exporter interface {
	Outbox
	RecordExport(sheetID string) error
}

// ExportUndelivered writes every sheet the scorer has not confirmed to dir (a USB stick) as
// SHEETID.sheet, each written whole and synced before the next, and notes the export. The
// scorer imports such a folder with `scorer import`. It returns the number of sheets written.
func ExportUndelivered(outbox Exporter, dir string) (int, error) {
	entries, err := outbox.Undelivered()
	if err != nil {
		return 0, err
	}
	for i, e := range entries {
		if !ValidID(e.SheetID) {
			return i, fmt.Errorf("sheet id %q cannot be a file name", e.SheetID)
		}
		if err := writeSynced(filepath.Join(dir, e.SheetID+".sheet"), e.Sealed); err != nil {
			return i, fmt.Errorf("exporting sheet %s: %w", e.SheetID, err)
		}
		if err := outbox.RecordExport(e.SheetID); err != nil {
			return i, err
		}
	}
	return len(entries), nil
}

// writeSynced writes through a temporary file and renames it, so that a stick pulled out early
// leaves whole files or none.
func writeSynced(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".export-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
