package scorer

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// The PostgreSQL store's side of the commission: grades, resolutions, interviews, amendments,
// appeals, publications, rules, accounts, sessions and the audit log.

// audited runs f (when not nil) and appends the audit entry in one transaction. The
// transaction first takes the audit lock, which every writer of the log takes: appends from
// several scorers over one database queue up, each reads the last entry the one before it
// committed, and the chain stays one line. The numbers the commission's records take
// (appeals, resolutions) follow one another for the same reason.
func (s *PostgresStore) audited(ctx context.Context, a AuditEntry, f func(pgx.Tx) error) error {
	if err := a.check(); err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := pgLock(ctx, tx, pgLockAudit); err != nil {
			return err
		}
		if f != nil {
			if err := f(tx); err != nil {
				return err
			}
		}
		return pgAppendAudit(ctx, tx, a)
	})
}

// pgAppendAudit chains a to the last entry of the log and appends it, in a transaction that
// holds the log's lock (pgLockAudit).
func pgAppendAudit(ctx context.Context, tx pgx.Tx, a AuditEntry) error {
	if err := a.check(); err != nil {
		return err
	}
	var last int64
	var prev string
	err := tx.QueryRow(ctx, `SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1`).Scan(&last, &prev)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	a = a.chainAfter(last, prev)
	_, err = tx.Exec(ctx, `INSERT INTO audit (`+auditColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		a.Seq, formatTime(a.At), a.Actor, string(a.Action), a.Subject, a.EncodeDetail(), a.Hash)
	return err
}

// change runs f, appends the audit entry and marks the revision in one transaction.
func (s *PostgresStore) change(ctx context.Context, audit AuditEntry, f func(pgx.Tx) error) error {
	return s.audited(ctx, audit, func(tx pgx.Tx) error {
		if err := f(tx); err != nil {
			return err
		}
		return pgBumpRevision(ctx, tx)
	})
}

// PutGrade implements Store.
func (s *PostgresStore) PutGrade(ctx context.Context, g Grade, audit AuditEntry) error {
	return s.change(ctx, audit, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO grades (sheet_id, item_id, grader, points, comment, at) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (sheet_id, item_id, grader) DO UPDATE SET points = excluded.points, comment = excluded.comment, at = excluded.at`,
			g.SheetID, g.ItemID, g.Grader, g.Points, g.Comment, formatTime(g.At))
		return err
	})
}

// Grades implements Store.
func (s *PostgresStore) Grades(ctx context.Context) ([]Grade, error) {
	return pgQueryAll(ctx, s.pool, `SELECT `+gradeColumns+` FROM grades ORDER BY sheet_id, item_id, grader`, nil, scanGrade)
}

// PutResolution implements Store.
func (s *PostgresStore) PutResolution(ctx context.Context, r Resolution, audit AuditEntry) error {
	return s.change(ctx, audit, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO resolutions (seq, sheet_id, item_id, kind, points, graders, note, by, at)
			VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM resolutions), $1, $2, $3, $4, $5, $6, $7, $8)`,
			r.SheetID, r.ItemID, string(r.Kind), r.Points, r.Graders, r.Note, r.By, formatTime(r.At))
		return err
	})
}

// Resolutions implements Store.
func (s *PostgresStore) Resolutions(ctx context.Context) ([]Resolution, error) {
	return pgQueryAll(ctx, s.pool, `SELECT `+resolutionColumns+` FROM resolutions ORDER BY seq`, nil, scanResolution)
}

// PutInterview implements Store.
func (s *PostgresStore) PutInterview(ctx context.Context, iv Interview, audit AuditEntry) error {
	competences, err := encodeCompetences(iv)
	if err != nil {
		return err
	}
	return s.change(ctx, audit, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO interview_scores (candidate, position, interviewer, points, competences, at) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (candidate, position, interviewer) DO UPDATE SET points = excluded.points, competences = excluded.competences, at = excluded.at`,
			iv.Candidate, iv.Position, iv.By, iv.Points, competences, formatTime(iv.Entered))
		return err
	})
}

// Interviews implements Store.
func (s *PostgresStore) Interviews(ctx context.Context) ([]Interview, error) {
	return pgQueryAll(ctx, s.pool, `SELECT `+interviewColumns+` FROM interview_scores ORDER BY position, candidate, interviewer`, nil, scanInterview)
}

// PutAmendment implements Store.
func (s *PostgresStore) PutAmendment(ctx context.Context, am StoredAmendment, audit AuditEntry) error {
	return s.change(ctx, audit, func(tx pgx.Tx) error {
		var digest string
		err := tx.QueryRow(ctx, `SELECT sha256 FROM amendments WHERE bank_id = $1 AND sequence = $2`, am.BankID, am.Sequence).Scan(&digest)
		switch {
		case err == nil && digest == am.SHA256:
			return nil
		case err == nil:
			return fmt.Errorf("bank %s already has another amendment %d: %w", am.BankID, am.Sequence, ErrConflict)
		case !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO amendments (`+amendmentColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			am.BankID, am.Sequence, am.File, am.SHA256, formatTime(am.LoadedAt), am.LoadedBy, am.Effect.Encode())
		return err
	})
}

// Amendments implements Store.
func (s *PostgresStore) Amendments(ctx context.Context) ([]StoredAmendment, error) {
	return pgQueryAll(ctx, s.pool, `SELECT `+amendmentColumns+` FROM amendments ORDER BY bank_id, sequence`, nil, scanAmendment)
}

// PutBankContent implements Store.
func (s *PostgresStore) PutBankContent(ctx context.Context, c BankContent) error {
	title, languages := encodeBankTexts(c)
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO bank_contents (bank_id, `+bankContentColumns+`) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (bank_id) DO NOTHING`, c.BankID, c.ManifestSHA256, title, languages, c.EncodeItems(), formatTime(c.LoadedAt))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			var digest string
			if err := tx.QueryRow(ctx, `SELECT manifest_sha256 FROM bank_contents WHERE bank_id = $1`, c.BankID).Scan(&digest); err != nil {
				return err
			}
			if digest != c.ManifestSHA256 {
				return fmt.Errorf("bank %s was loaded before from another build: %w", c.BankID, ErrConflict)
			}
			return nil
		}
		images := &pgx.Batch{}
		for name, data := range c.Images {
			images.Queue(`INSERT INTO bank_images (bank_id, name, data) VALUES ($1, $2, $3)`, c.BankID, name, data)
		}
		if err := tx.SendBatch(ctx, images).Close(); err != nil {
			return err
		}
		return pgBumpRevision(ctx, tx)
	})
}

// BankContent implements Store.
func (s *PostgresStore) BankContent(ctx context.Context, bankID string) (*BankContent, error) {
	c, err := scanBankContent(s.pool.QueryRow(ctx, `SELECT `+bankContentColumns+` FROM bank_contents WHERE bank_id = $1`, bankID), bankID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("the questions of bank %s: %w", bankID, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	images, err := pgQueryAll(ctx, s.pool, `SELECT name, data FROM bank_images WHERE bank_id = $1`, []any{bankID}, scanBankImage)
	if err != nil {
		return nil, err
	}
	for _, im := range images {
		c.Images[im.name] = im.data
	}
	return c, nil
}

// PutRoster implements Store.
func (s *PostgresStore) PutRoster(ctx context.Context, r StoredRoster) error {
	candidates, err := json.Marshal(r.Candidates)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO rosters (`+rosterColumns+`) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING`,
			r.SHA256, string(candidates), formatTime(r.LoadedAt))
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		return pgBumpRevision(ctx, tx)
	})
}

// Rosters implements Store.
func (s *PostgresStore) Rosters(ctx context.Context) ([]StoredRoster, error) {
	return pgQueryAll(ctx, s.pool, `SELECT `+rosterColumns+` FROM rosters ORDER BY loaded_at, sha256`, nil, scanRoster)
}

// AddAppeal implements Store.
func (s *PostgresStore) AddAppeal(ctx context.Context, a AppealRecord, audit AuditEntry) (int64, error) {
	var id int64
	err := s.change(ctx, audit, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `INSERT INTO appeals (id, receipt_code, sheet_id, lodged_at, lodged_by, grounds, status)
			VALUES ((SELECT coalesce(max(id), 0) + 1 FROM appeals), $1, $2, $3, $4, $5, $6) RETURNING id`,
			a.ReceiptCode, a.SheetID, formatTime(a.Lodged), a.LodgedBy, a.Grounds, string(AppealOpen)).Scan(&id)
	})
	return id, err
}

// DecideAppeal implements Store.
func (s *PostgresStore) DecideAppeal(ctx context.Context, id int64, d AppealDecision, audit AuditEntry) error {
	return s.change(ctx, audit, func(tx pgx.Tx) error {
		var status string
		err := tx.QueryRow(ctx, `SELECT status FROM appeals WHERE id = $1`, id).Scan(&status)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("appeal %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if status != string(AppealOpen) {
			return fmt.Errorf("appeal %d is decided already: %w", id, ErrConflict)
		}
		_, err = tx.Exec(ctx, `UPDATE appeals SET status = $1, reasons = $2, decided_by = $3, decided_at = $4 WHERE id = $5`,
			string(d.Status), d.Reasons, d.By, formatTime(d.At), id)
		return err
	})
}

// Appeals implements Store.
func (s *PostgresStore) Appeals(ctx context.Context) ([]AppealRecord, error) {
	return pgQueryAll(ctx, s.pool, `SELECT `+appealColumns+` FROM appeals ORDER BY id`, nil, scanAppeal)
}

// SetPublication implements Store.
func (s *PostgresStore) SetPublication(ctx context.Context, p Publication, audit AuditEntry) error {
	return s.change(ctx, audit, func(tx pgx.Tx) error {
		if !p.Published {
			_, err := tx.Exec(ctx, `DELETE FROM publications WHERE position = $1`, p.Position)
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO publications (`+publicationColumns+`) VALUES ($1, $2, $3)
			ON CONFLICT (position) DO UPDATE SET published_at = excluded.published_at, by = excluded.by`, p.Position, formatTime(p.At), p.By)
		return err
	})
}

// Publications implements Store.
func (s *PostgresStore) Publications(ctx context.Context) ([]Publication, error) {
	return pgQueryAll(ctx, s.pool, `SELECT `+publicationColumns+` FROM publications ORDER BY position`, nil, scanPublication)
}

// PutRules implements Store.
func (s *PostgresStore) PutRules(ctx context.Context, r Rules, audit AuditEntry) error {
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return s.change(ctx, audit, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value`, rulesSetting, data)
		return err
	})
}

// Rules implements Store.
func (s *PostgresStore) Rules(ctx context.Context) (Rules, error) {
	var r Rules
	var data []byte
	err := s.pool.QueryRow(ctx, `SELECT value FROM settings WHERE name = $1`, rulesSetting).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, nil
	}
	if err != nil {
		return r, err
	}
	return r, json.Unmarshal(data, &r)
}

// Secret implements Store. Scorers that find no secret at the same moment each offer one; the
// first stored is the one every scorer reads back.
func (s *PostgresStore) Secret(ctx context.Context, name string, size int) ([]byte, error) {
	var secret []byte
	err := s.pool.QueryRow(ctx, `SELECT value FROM settings WHERE name = $1`, secretSetting(name)).Scan(&secret)
	if !errors.Is(err, pgx.ErrNoRows) {
		return secret, err
	}
	offer := make([]byte, size)
	rand.Read(offer)
	if _, err := s.pool.Exec(ctx, `INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, secretSetting(name), offer); err != nil {
		return nil, err
	}
	err = s.pool.QueryRow(ctx, `SELECT value FROM settings WHERE name = $1`, secretSetting(name)).Scan(&secret)
	return secret, err
}

// AddUser implements Store.
func (s *PostgresStore) AddUser(ctx context.Context, u User, audit AuditEntry) error {
	return s.change(ctx, audit, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO users (`+userColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (name) DO NOTHING`,
			u.Name, u.FullName, encodeRoles(u.Roles), u.Password, u.MustChange, u.Disabled, formatTime(u.Created))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("user %s exists already: %w", u.Name, ErrConflict)
		}
		return nil
	})
}

// User implements Store.
func (s *PostgresStore) User(ctx context.Context, name string) (*User, error) {
	u, err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE name = $1`, name))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("user %s: %w", name, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// Users implements Store.
func (s *PostgresStore) Users(ctx context.Context) ([]User, error) {
	return pgQueryAll(ctx, s.pool, `SELECT `+userColumns+` FROM users ORDER BY name`, nil, scanUser)
}

// UpdateUser implements Store.
func (s *PostgresStore) UpdateUser(ctx context.Context, u User, audit AuditEntry) error {
	return s.change(ctx, audit, func(tx pgx.Tx) error {
		var password string
		var disabled bool
		err := tx.QueryRow(ctx, `SELECT password, disabled FROM users WHERE name = $1`, u.Name).Scan(&password, &disabled)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("user %s: %w", u.Name, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET full_name = $1, roles = $2, password = $3, must_change = $4, disabled = $5 WHERE name = $6`,
			u.FullName, encodeRoles(u.Roles), u.Password, u.MustChange, u.Disabled, u.Name); err != nil {
			return err
		}
		if password != u.Password || (u.Disabled && !disabled) {
			_, err = tx.Exec(ctx, `DELETE FROM console_sessions WHERE user_name = $1`, u.Name)
		}
		return err
	})
}

// pgSignInTries bounds how often CountSignIn looks for a name's row again when another scorer
// removed it between two statements.
const pgSignInTries = 3

// CountSignIn implements Store. The name's row is locked while it is counted, so that tries
// at the same moment, on any scorer, are each counted.
func (s *PostgresStore) CountSignIn(ctx context.Context, name string, now time.Time) (SignInState, error) {
	var st SignInState
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		for range pgSignInTries {
			st = SignInState{}
			var locked string
			err := tx.QueryRow(ctx, `SELECT failures, locked_until FROM signin_throttle WHERE name = $1 FOR UPDATE`, name).Scan(&st.Failures, &locked)
			if err == nil {
				st.LockedUntil = parseTime(locked)
				if !st.count(now) {
					return nil
				}
				_, err = tx.Exec(ctx, `UPDATE signin_throttle SET failures = $1 WHERE name = $2`, st.Failures, name)
				return err
			}
			if !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
			st.count(now)
			tag, err := tx.Exec(ctx, `INSERT INTO signin_throttle (name, failures, locked_until) VALUES ($1, $2, '') ON CONFLICT (name) DO NOTHING`, name, st.Failures)
			if err != nil || tag.RowsAffected() == 1 {
				return err
			}
			// Another scorer counted the name's first try meanwhile: count after it.
		}
		return fmt.Errorf("counting a sign-in of %s: its record kept changing; try again", name)
	})
	return st, err
}

// SetSignInState implements Store.
func (s *PostgresStore) SetSignInState(ctx context.Context, name string, st SignInState) error {
	if st.Failures == 0 {
		_, err := s.pool.Exec(ctx, `DELETE FROM signin_throttle WHERE name = $1`, name)
		return err
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO signin_throttle (name, failures, locked_until) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until`, name, st.Failures, formatTime(st.LockedUntil))
	return err
}

// CreateSession implements Store.
func (s *PostgresStore) CreateSession(ctx context.Context, se Session) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO console_sessions (token_hash, `+sessionColumns+`) VALUES ($1, $2, $3, $4, $5, $6)`,
		se.TokenHash, se.User, se.CSRF, formatTime(se.Created), formatTime(se.Seen), formatTime(se.Expires))
	return err
}

// Session implements Store.
func (s *PostgresStore) Session(ctx context.Context, tokenHash string) (*Session, error) {
	se, err := scanSession(s.pool.QueryRow(ctx, `SELECT `+sessionColumns+` FROM console_sessions WHERE token_hash = $1`, tokenHash), tokenHash)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("session: %w", ErrNotFound)
	}
	return se, err
}

// TouchSession implements Store.
func (s *PostgresStore) TouchSession(ctx context.Context, tokenHash string, seen, expires time.Time) error {
	_, err := s.pool.Exec(ctx, `UPDATE console_sessions SET seen_at = $1, expires_at = $2 WHERE token_hash = $3`, formatTime(seen), formatTime(expires), tokenHash)
	return err
}

// DeleteSession implements Store.
func (s *PostgresStore) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM console_sessions WHERE token_hash = $1 OR expires_at < $2`, tokenHash, formatTime(time.Now()))
	return err
}

// AppendAudit implements Store.
func (s *PostgresStore) AppendAudit(ctx context.Context, a AuditEntry) error {
	return s.audited(ctx, a, nil)
}

// Audit implements Store.
func (s *PostgresStore) Audit(ctx context.Context, before int64, limit int) ([]AuditEntry, error) {
	if before <= 0 {
		before = 1 << 62
	}
	var most any = limit
	if limit < 0 {
		most = nil // no limit, as SQLite reads a negative one
	}
	return pgQueryAll(ctx, s.pool, `SELECT `+auditColumns+` FROM audit WHERE seq < $1 ORDER BY seq DESC LIMIT $2`, []any{before, most}, scanAudit)
}
