package scorer

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// The SQLite store's side of the commission: grades, resolutions, interviews, amendments,
// appeals, publications, rules, accounts, sessions and the audit log.

// bumpRevision marks a commission change, so that boards over the store see it.
func bumpRevision(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE revision SET n = n + 1 WHERE id = 1`)
	return err
}

// appendAudit appends an entry to the hash-chained log within tx.
func appendAudit(ctx context.Context, tx *sql.Tx, a AuditEntry) error {
	if err := a.check(); err != nil {
		return err
	}
	var last int64
	var prev string
	err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1`).Scan(&last, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	a = a.chainAfter(last, prev)
	_, err = tx.ExecContext(ctx, `INSERT INTO audit (`+auditColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		a.Seq, formatTime(a.At), a.Actor, string(a.Action), a.Subject, a.EncodeDetail(), a.Hash)
	return err
}

// change runs f and appends the audit entry in one transaction, and marks the revision.
func (s *SQLiteStore) change(ctx context.Context, audit AuditEntry, f func(*sql.Tx) error) error {
	return inTx(s.db, func(tx *sql.Tx) error {
		if err := f(tx); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, audit); err != nil {
			return err
		}
		return bumpRevision(ctx, tx)
	})
}

// PutGrade implements Store.
func (s *SQLiteStore) PutGrade(ctx context.Context, g Grade, audit AuditEntry) error {
	return s.change(ctx, audit, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO grades (sheet_id, item_id, grader, points, comment, at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (sheet_id, item_id, grader) DO UPDATE SET points = excluded.points, comment = excluded.comment, at = excluded.at`,
			g.SheetID, g.ItemID, g.Grader, g.Points, g.Comment, formatTime(g.At))
		return err
	})
}

// Grades implements Store.
func (s *SQLiteStore) Grades(ctx context.Context) ([]Grade, error) {
	return queryAll(ctx, s.db, `SELECT `+gradeColumns+` FROM grades ORDER BY sheet_id, item_id, grader`, nil, scanGrade)
}

// PutResolution implements Store.
func (s *SQLiteStore) PutResolution(ctx context.Context, r Resolution, audit AuditEntry) error {
	return s.change(ctx, audit, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO resolutions (seq, sheet_id, item_id, kind, points, graders, note, by, at)
			VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM resolutions), ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.SheetID, r.ItemID, string(r.Kind), r.Points, r.Graders, r.Note, r.By, formatTime(r.At))
		return err
	})
}

// Resolutions implements Store.
func (s *SQLiteStore) Resolutions(ctx context.Context) ([]Resolution, error) {
	return queryAll(ctx, s.db, `SELECT `+resolutionColumns+` FROM resolutions ORDER BY seq`, nil, scanResolution)
}

// PutInterview implements Store.
func (s *SQLiteStore) PutInterview(ctx context.Context, iv Interview, audit AuditEntry) error {
	competences, err := encodeCompetences(iv)
	if err != nil {
		return err
	}
	return s.change(ctx, audit, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO interview_scores (candidate, position, interviewer, points, competences, at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (candidate, position, interviewer) DO UPDATE SET points = excluded.points, competences = excluded.competences, at = excluded.at`,
			iv.Candidate, iv.Position, iv.By, iv.Points, competences, formatTime(iv.Entered))
		return err
	})
}

// Interviews implements Store.
func (s *SQLiteStore) Interviews(ctx context.Context) ([]Interview, error) {
	return queryAll(ctx, s.db, `SELECT `+interviewColumns+` FROM interview_scores ORDER BY position, candidate, interviewer`, nil, scanInterview)
}

// PutAmendment implements Store.
func (s *SQLiteStore) PutAmendment(ctx context.Context, am StoredAmendment, audit AuditEntry) error {
	return s.change(ctx, audit, func(tx *sql.Tx) error {
		var digest string
		err := tx.QueryRowContext(ctx, `SELECT sha256 FROM amendments WHERE bank_id = ? AND sequence = ?`, am.BankID, am.Sequence).Scan(&digest)
		switch {
		case err == nil && digest == am.SHA256:
			return nil
		case err == nil:
			return fmt.Errorf("bank %s already has another amendment %d: %w", am.BankID, am.Sequence, ErrConflict)
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO amendments (bank_id, sequence, file, sha256, loaded_at, loaded_by, effect) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			am.BankID, am.Sequence, am.File, am.SHA256, formatTime(am.LoadedAt), am.LoadedBy, am.Effect.Encode())
		return err
	})
}

// Amendments implements Store.
func (s *SQLiteStore) Amendments(ctx context.Context) ([]StoredAmendment, error) {
	return queryAll(ctx, s.db, `SELECT `+amendmentColumns+` FROM amendments ORDER BY bank_id, sequence`, nil, scanAmendment)
}

// PutBankContent implements Store.
func (s *SQLiteStore) PutBankContent(ctx context.Context, c BankContent) error {
	title, languages := encodeBankTexts(c)
	return inTx(s.db, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO bank_contents (bank_id, manifest_sha256, title, languages, items, loaded_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (bank_id) DO NOTHING`, c.BankID, c.ManifestSHA256, title, languages, c.EncodeItems(), formatTime(c.LoadedAt))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var digest string
			if err := tx.QueryRowContext(ctx, `SELECT manifest_sha256 FROM bank_contents WHERE bank_id = ?`, c.BankID).Scan(&digest); err != nil {
				return err
			}
			if digest != c.ManifestSHA256 {
				return fmt.Errorf("bank %s was loaded before from another build: %w", c.BankID, ErrConflict)
			}
			return nil
		}
		for name, data := range c.Images {
			if _, err := tx.ExecContext(ctx, `INSERT INTO bank_images (bank_id, name, data) VALUES (?, ?, ?)`, c.BankID, name, data); err != nil {
				return err
			}
		}
		return bumpRevision(ctx, tx)
	})
}

// BankContent implements Store.
func (s *SQLiteStore) BankContent(ctx context.Context, bankID string) (*BankContent, error) {
	c, err := scanBankContent(s.db.QueryRowContext(ctx, `SELECT `+bankContentColumns+` FROM bank_contents WHERE bank_id = ?`, bankID), bankID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("the questions of bank %s: %w", bankID, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	images, err := queryAll(ctx, s.db, `SELECT name, data FROM bank_images WHERE bank_id = ?`, []any{bankID}, scanBankImage)
	if err != nil {
		return nil, err
	}
	for _, im := range images {
		c.Images[im.name] = im.data
	}
	return c, nil
}

// PutRoster implements Store.
func (s *SQLiteStore) PutRoster(ctx context.Context, r StoredRoster) error {
	candidates, err := json.Marshal(r.Candidates)
	if err != nil {
		return err
	}
	return inTx(s.db, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO rosters (sha256, candidates, loaded_at) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING`,
			r.SHA256, string(candidates), formatTime(r.LoadedAt))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return bumpRevision(ctx, tx)
	})
}

// Rosters implements Store.
func (s *SQLiteStore) Rosters(ctx context.Context) ([]StoredRoster, error) {
	return queryAll(ctx, s.db, `SELECT `+rosterColumns+` FROM rosters ORDER BY loaded_at, sha256`, nil, scanRoster)
}

// AddAppeal implements Store.
func (s *SQLiteStore) AddAppeal(ctx context.Context, a AppealRecord, audit AuditEntry) (int64, error) {
	var id int64
	err := s.change(ctx, audit, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO appeals (id, receipt_code, sheet_id, lodged_at, lodged_by, grounds, status)
			VALUES ((SELECT coalesce(max(id), 0) + 1 FROM appeals), ?, ?, ?, ?, ?, ?) RETURNING id`,
			a.ReceiptCode, a.SheetID, formatTime(a.Lodged), a.LodgedBy, a.Grounds, string(AppealOpen)).Scan(&id)
	})
	return id, err
}

// DecideAppeal implements Store.
func (s *SQLiteStore) DecideAppeal(ctx context.Context, id int64, d AppealDecision, audit AuditEntry) error {
	return s.change(ctx, audit, func(tx *sql.Tx) error {
		var status string
		err := tx.QueryRowContext(ctx, `SELECT status FROM appeals WHERE id = ?`, id).Scan(&status)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("appeal %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if status != string(AppealOpen) {
			return fmt.Errorf("appeal %d is decided already: %w", id, ErrConflict)
		}
		_, err = tx.ExecContext(ctx, `UPDATE appeals SET status = ?, reasons = ?, decided_by = ?, decided_at = ? WHERE id = ?`,
			string(d.Status), d.Reasons, d.By, formatTime(d.At), id)
		return err
	})
}

// Appeals implements Store.
func (s *SQLiteStore) Appeals(ctx context.Context) ([]AppealRecord, error) {
	return queryAll(ctx, s.db, `SELECT `+appealColumns+` FROM appeals ORDER BY id`, nil, scanAppeal)
}

// SetPublication implements Store.
func (s *SQLiteStore) SetPublication(ctx context.Context, p Publication, audit AuditEntry) error {
	return s.change(ctx, audit, func(tx *sql.Tx) error {
		if !p.Published {
			_, err := tx.ExecContext(ctx, `DELETE FROM publications WHERE position = ?`, p.Position)
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO publications (position, published_at, by) VALUES (?, ?, ?)
			ON CONFLICT (position) DO UPDATE SET published_at = excluded.published_at, by = excluded.by`, p.Position, formatTime(p.At), p.By)
		return err
	})
}

// Publications implements Store.
func (s *SQLiteStore) Publications(ctx context.Context) ([]Publication, error) {
	return queryAll(ctx, s.db, `SELECT `+publicationColumns+` FROM publications ORDER BY position`, nil, scanPublication)
}

// PutRules implements Store.
func (s *SQLiteStore) PutRules(ctx context.Context, r Rules, audit AuditEntry) error {
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return s.change(ctx, audit, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`, rulesSetting, data)
		return err
	})
}

// Rules implements Store.
func (s *SQLiteStore) Rules(ctx context.Context) (Rules, error) {
	var r Rules
	var data []byte
	err := s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = ?`, rulesSetting).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return r, nil
	}
	if err != nil {
		return r, err
	}
	return r, json.Unmarshal(data, &r)
}

// Secret implements Store.
func (s *SQLiteStore) Secret(ctx context.Context, name string, size int) ([]byte, error) {
	var secret []byte
	err := inTx(s.db, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = ?`, secretSetting(name)).Scan(&secret)
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		secret = make([]byte, size)
		rand.Read(secret)
		_, err = tx.ExecContext(ctx, `INSERT INTO settings (name, value) VALUES (?, ?)`, secretSetting(name), secret)
		return err
	})
	return secret, err
}

// AddUser implements Store.
func (s *SQLiteStore) AddUser(ctx context.Context, u User, audit AuditEntry) error {
	return s.change(ctx, audit, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO users (name, full_name, roles, password, must_change, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (name) DO NOTHING`, u.Name, u.FullName, encodeRoles(u.Roles), u.Password, u.MustChange, u.Disabled, formatTime(u.Created))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("user %s exists already: %w", u.Name, ErrConflict)
		}
		return nil
	})
}

// User implements Store.
func (s *SQLiteStore) User(ctx context.Context, name string) (*User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("user %s: %w", name, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// Users implements Store.
func (s *SQLiteStore) Users(ctx context.Context) ([]User, error) {
	return queryAll(ctx, s.db, `SELECT `+userColumns+` FROM users ORDER BY name`, nil, scanUser)
}

// UpdateUser implements Store.
func (s *SQLiteStore) UpdateUser(ctx context.Context, u User, audit AuditEntry) error {
	return s.change(ctx, audit, func(tx *sql.Tx) error {
		var password string
		var disabled bool
		err := tx.QueryRowContext(ctx, `SELECT password, disabled FROM users WHERE name = ?`, u.Name).Scan(&password, &disabled)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("user %s: %w", u.Name, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET full_name = ?, roles = ?, password = ?, must_change = ?, disabled = ? WHERE name = ?`,
			u.FullName, encodeRoles(u.Roles), u.Password, u.MustChange, u.Disabled, u.Name); err != nil {
			return err
		}
		if password != u.Password || (u.Disabled && !disabled) {
			_, err = tx.ExecContext(ctx, `DELETE FROM console_sessions WHERE user_name = ?`, u.Name)
		}
		return err
	})
}

// CountSignIn implements Store.
func (s *SQLiteStore) CountSignIn(ctx context.Context, name string, now time.Time) (SignInState, error) {
	var st SignInState
	err := inTx(s.db, func(tx *sql.Tx) error {
		var locked string
		err := tx.QueryRowContext(ctx, `SELECT failures, locked_until FROM signin_throttle WHERE name = ?`, name).Scan(&st.Failures, &locked)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		st.LockedUntil = parseTime(locked)
		if !st.count(now) {
			return nil
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO signin_throttle (name, failures, locked_until) VALUES (?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET failures = excluded.failures`, name, st.Failures, formatTime(st.LockedUntil))
		return err
	})
	return st, err
}

// SetSignInState implements Store.
func (s *SQLiteStore) SetSignInState(ctx context.Context, name string, st SignInState) error {
	if st.Failures == 0 {
		_, err := s.db.ExecContext(ctx, `DELETE FROM signin_throttle WHERE name = ?`, name)
		return err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO signin_throttle (name, failures, locked_until) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until`, name, st.Failures, formatTime(st.LockedUntil))
	return err
}

// CreateSession implements Store.
func (s *SQLiteStore) CreateSession(ctx context.Context, se Session) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO console_sessions (token_hash, user_name, csrf, created_at, seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		se.TokenHash, se.User, se.CSRF, formatTime(se.Created), formatTime(se.Seen), formatTime(se.Expires))
	return err
}

// Session implements Store.
func (s *SQLiteStore) Session(ctx context.Context, tokenHash string) (*Session, error) {
	se, err := scanSession(s.db.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM console_sessions WHERE token_hash = ?`, tokenHash), tokenHash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("session: %w", ErrNotFound)
	}
	return se, err
}

// TouchSession implements Store.
func (s *SQLiteStore) TouchSession(ctx context.Context, tokenHash string, seen, expires time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE console_sessions SET seen_at = ?, expires_at = ? WHERE token_hash = ?`, formatTime(seen), formatTime(expires), tokenHash)
	return err
}

// DeleteSession implements Store.
func (s *SQLiteStore) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM console_sessions WHERE token_hash = ? OR expires_at < ?`, tokenHash, formatTime(time.Now()))
	return err
}

// AppendAudit implements Store.
func (s *SQLiteStore) AppendAudit(ctx context.Context, a AuditEntry) error {
	return inTx(s.db, func(tx *sql.Tx) error { return appendAudit(ctx, tx, a) })
}

// Audit implements Store.
func (s *SQLiteStore) Audit(ctx context.Context, before int64, limit int) ([]AuditEntry, error) {
	if before <= 0 {
		before = 1 << 62
	}
	return queryAll(ctx, s.db, `SELECT `+auditColumns+` FROM audit WHERE seq < ? ORDER BY seq DESC LIMIT ?`, []any{before, limit}, scanAudit)
}
