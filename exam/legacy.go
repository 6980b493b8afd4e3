package exam

import (
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
)

// Kiosks before schema version 5 recorded a session's part by a second call after the session
// started, in a file beside the database; a failure between the two left a session without a
// part. Version 5 keeps the part in the session's row, and takes the file's part into it once.

// sessionPartVersion is the schema version that keeps the part in the sessions table.
const sessionPartVersion = 5

// legacyPartFile is the file, beside the database, where older kiosks kept the part.
const legacyPartFile = "session-part.json"

// legacySessionPart is what legacyPartFile holds.
type legacySessionPart struct {
	Session string `json:"session"`
	Part    string `json:"part"`
}

// importSessionPart copies the part legacyPartFile records into its session's row, in the
// migration's transaction. A file that does not parse is left out, as older kiosks left it
// out; a session that then has no part gets one when it resumes, if its bank has only one.
func importSessionPart(tx *sql.Tx, dir string) error {
	data, err := os.ReadFile(filepath.Join(dir, legacyPartFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var p legacySessionPart
	if json.Unmarshal(data, &p) != nil || p.Session == "" || p.Part == "" {
		return nil
	}
	_, err = tx.Exec(`UPDATE sessions SET part_id = ? WHERE id = ?`, p.Part, p.Session)
	return err
}

// removeLegacyPartFile removes legacyPartFile once its part is in the database. Should the
// removal fail, the file stays behind unread: nothing reads it any more.
func removeLegacyPartFile(dir string) {
	os.Remove(filepath.Join(dir, legacyPartFile))
}
