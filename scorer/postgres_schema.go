package scorer

// postgresMigrations are the PostgreSQL store's schema versions in order, each the
// counterpart of the SQLite migration of the same number; a released one is never edited.
//
// The columns are named as in SQLite, and times are RFC 3339 text, so that both stores read
// their rows with the same code (store_rows.go). Text that is sorted or compared has the "C"
// collation: rows come out in the order SQLite gives them, whatever the database's locale.
var postgresMigrations = []string{
	`CREATE TABLE terminals (
		id         text COLLATE "C" PRIMARY KEY,
		public_key text NOT NULL,
		added_at   text NOT NULL
	);
	CREATE TABLE answer_keys (
		bank_id text PRIMARY KEY,
		file    bytea NOT NULL
	);
	CREATE TABLE sheets (
		seq           bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
		sheet_id      text COLLATE "C" PRIMARY KEY,
		terminal_id   text NOT NULL,
		session_id    text NOT NULL,
		bank_id       text NOT NULL,
		sealed_sha256 text NOT NULL,
		sealed        bytea NOT NULL,
		plain         bytea NOT NULL,
		received_at   text COLLATE "C" NOT NULL,
		receipt       bytea NOT NULL,
		receipt_code  text NOT NULL
	);
	CREATE INDEX sheets_receipt_code ON sheets (receipt_code);
	CREATE TABLE grades (
		sheet_id text COLLATE "C" NOT NULL REFERENCES sheets (sheet_id),
		item_id  text COLLATE "C" NOT NULL,
		grader   text COLLATE "C" NOT NULL,
		points   integer NOT NULL,
		at       text NOT NULL,
		PRIMARY KEY (sheet_id, item_id, grader)
	);
	CREATE TABLE interviews (
		candidate text COLLATE "C" NOT NULL,
		position  text COLLATE "C" NOT NULL,
		points    integer NOT NULL,
		entered   text NOT NULL,
		by        text NOT NULL,
		PRIMARY KEY (candidate, position)
	);`,
	// 2: the commission's console.
	`ALTER TABLE grades ADD COLUMN comment text NOT NULL DEFAULT '';
	CREATE TABLE interview_scores (
		candidate   text COLLATE "C" NOT NULL,
		position    text COLLATE "C" NOT NULL,
		interviewer text COLLATE "C" NOT NULL,
		points      integer NOT NULL,
		competences text NOT NULL,
		at          text NOT NULL,
		PRIMARY KEY (candidate, position, interviewer)
	);
	INSERT INTO interview_scores (candidate, position, interviewer, points, competences, at)
		SELECT candidate, position, by, points, '{}', entered FROM interviews;
	DROP TABLE interviews;
	CREATE TABLE resolutions (
		seq      bigint PRIMARY KEY,
		sheet_id text COLLATE "C" NOT NULL REFERENCES sheets (sheet_id),
		item_id  text NOT NULL,
		kind     text NOT NULL,
		points   integer NOT NULL,
		graders  integer NOT NULL,
		note     text NOT NULL,
		by       text NOT NULL,
		at       text NOT NULL
	);
	CREATE TABLE amendments (
		bank_id   text COLLATE "C" NOT NULL,
		sequence  integer NOT NULL,
		file      bytea NOT NULL,
		sha256    text NOT NULL UNIQUE,
		loaded_at text NOT NULL,
		loaded_by text NOT NULL,
		effect    text NOT NULL,
		PRIMARY KEY (bank_id, sequence)
	);
	CREATE TABLE bank_contents (
		bank_id         text PRIMARY KEY,
		manifest_sha256 text NOT NULL,
		title           text NOT NULL,
		languages       text NOT NULL,
		items           bytea NOT NULL,
		loaded_at       text NOT NULL
	);
	CREATE TABLE bank_images (
		bank_id text NOT NULL REFERENCES bank_contents (bank_id),
		name    text NOT NULL,
		data    bytea NOT NULL,
		PRIMARY KEY (bank_id, name)
	);
	CREATE TABLE rosters (
		sha256     text COLLATE "C" PRIMARY KEY,
		candidates text NOT NULL,
		loaded_at  text COLLATE "C" NOT NULL
	);
	CREATE TABLE appeals (
		id           bigint PRIMARY KEY,
		receipt_code text NOT NULL,
		sheet_id     text COLLATE "C" NOT NULL REFERENCES sheets (sheet_id),
		lodged_at    text NOT NULL,
		lodged_by    text NOT NULL,
		grounds      text NOT NULL,
		status       text NOT NULL,
		reasons      text NOT NULL DEFAULT '',
		decided_by   text NOT NULL DEFAULT '',
		decided_at   text NOT NULL DEFAULT ''
	);
	CREATE TABLE publications (
		position     text COLLATE "C" PRIMARY KEY,
		published_at text NOT NULL,
		by           text NOT NULL
	);
	CREATE TABLE settings (
		name  text PRIMARY KEY,
		value bytea NOT NULL
	);
	CREATE TABLE revision (
		id integer PRIMARY KEY CHECK (id = 1),
		n  bigint NOT NULL
	);
	INSERT INTO revision (id, n) VALUES (1, 0);
	CREATE TABLE users (
		name        text COLLATE "C" PRIMARY KEY,
		full_name   text NOT NULL,
		roles       text NOT NULL,
		password    text NOT NULL,
		must_change boolean NOT NULL,
		disabled    boolean NOT NULL,
		created_at  text NOT NULL
	);
	CREATE TABLE signin_throttle (
		name         text PRIMARY KEY,
		failures     integer NOT NULL,
		locked_until text NOT NULL
	);
	CREATE TABLE console_sessions (
		token_hash text PRIMARY KEY,
		user_name  text COLLATE "C" NOT NULL REFERENCES users (name),
		csrf       text NOT NULL,
		created_at text NOT NULL,
		seen_at    text NOT NULL,
		expires_at text COLLATE "C" NOT NULL
	);
	CREATE INDEX console_sessions_user ON console_sessions (user_name);
	CREATE TABLE audit (
		seq     bigint PRIMARY KEY,
		at      text NOT NULL,
		actor   text NOT NULL,
		action  text NOT NULL,
		subject text NOT NULL,
		detail  text NOT NULL,
		hash    text NOT NULL
	);
	CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			RAISE EXCEPTION 'the audit log is append-only';
		END
	$$;
	CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
	CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();`,
	// 3: attempts in progress: their latest checkpoints, and hand-overs to spare terminals.
	`CREATE TABLE attempts (
		attempt_id   text PRIMARY KEY,
		terminal_id  text NOT NULL,
		candidate    text NOT NULL,
		part         text NOT NULL,
		session_id   text COLLATE "C" NOT NULL,
		bank_id      text NOT NULL,
		seq          bigint NOT NULL,
		state        text NOT NULL,
		answered     integer NOT NULL,
		items        integer NOT NULL,
		used_ms      bigint NOT NULL,
		allowance_ms bigint NOT NULL,
		made_at      text NOT NULL,
		received_at  text NOT NULL,
		moved_from   text NOT NULL,
		moved_at     text NOT NULL,
		confirmed_by text NOT NULL,
		confirmed_at text NOT NULL,
		checkpoint   bytea NOT NULL,
		signature    bytea NOT NULL
	);
	CREATE INDEX attempts_candidate ON attempts (candidate);
	CREATE TABLE handover_requests (
		nonce       text PRIMARY KEY,
		terminal_id text NOT NULL,
		attempt_id  text NOT NULL,
		at          text NOT NULL
	);`,
}
