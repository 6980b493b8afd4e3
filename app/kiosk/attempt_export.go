package kiosk

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"ispit/exam"
	"ispit/sheet"
)

// ExportAttempt writes the attempt a of session s to dir (a removable drive) for a spare
// terminal to continue while the scorer cannot be reached, and stops it here
// (exam.Attempt.Export): proctor and reason go into its log. The file
// (docs/sheet-format.md, ispit-attempt-export/1) is signed with the terminal key and
// encrypted to the session's start code, so that only a terminal of the same exam can read
// it; it is written whole and synced before the attempt is recorded moved. It returns the
// file's path.
func (k *Kiosk) ExportAttempt(s *exam.Session, a *exam.Attempt, dir, proctor, reason string) (string, error) {
	if s.Info.StartCode == "" {
		return "", exam.ErrSessionEnded
	}
	name := a.ID()
	if c := a.Candidate(); sheet.ValidID(c.Code) {
		name = c.Code + "-" + name
	}
	path := filepath.Join(dir, name+sheet.AttemptExportExt)
	written := false
	err := a.Export(proctor, reason, func(cp *exam.Checkpoint) error {
		data, err := sheet.SealAttemptExport(cp, proctor, k.now(), k.terminal, s.Info.StartCode)
		if err != nil {
			return err
		}
		if err := writeSynced(path, data); err != nil {
			return err
		}
		written = true
		return nil
	})
	if err != nil {
		if written {
			os.Remove(path) // the attempt goes on here: no second copy may be continued
		}
		return "", err
	}
	return path, nil
}

// ImportAttempt opens an attempt another terminal exported (ExportAttempt) for session s: it
// must open with the session's start code (sheet.ErrDecrypt otherwise), be whole and signed
// (the other sheet errors), and be of the session's bank and part and a candidate of its
// roster not admitted here yet. The proctor confirms what it restores, then Continue takes it
// up.
func (k *Kiosk) ImportAttempt(s *exam.Session, path string) (*Handover, error) {
	if s.Info.StartCode == "" {
		return nil, exam.ErrSessionEnded
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, sheet.MaxSealedCheckpointSize+1))
	if err != nil {
		return nil, err
	}
	o, err := sheet.OpenAttemptExport(data, s.Info.StartCode)
	if err != nil {
		return nil, err
	}
	cp := o.Checkpoint
	if err := fitsSession(s, cp, k.cfg.TerminalID); err != nil {
		return nil, err
	}
	x := o.Export
	h := newHandover(cp, exam.Handed{From: x.From, At: x.ExportedAt, Export: &o.Proof}, x.ExportedAt.Sub(cp.MadeAt))
	h.Exported, h.ExportedBy, h.ExportedAt = true, x.ExportedBy, x.ExportedAt
	return h, nil
}

// writeSynced writes data to path through a synced temporary file and a rename, then syncs
// the folder: a stick pulled out early leaves the whole file or none. An existing file is not
// replaced.
func writeSynced(path string, data []byte) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s exists already", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := writeAtomic(path, data, 0o600); err != nil {
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
