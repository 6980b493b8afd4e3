// Package console is the selection commission's web console, served by the scorer on its own
// listener (docs/console.md): blind grading of written tasks, disputes, interviews, results and
// the list of successful candidates, the exam day, item analysis, appeals, key amendments,
// accounts and the audit log. Pages are rendered on the server from embedded templates in the
// six languages of the catalogue; no script is needed and none is served. The handlers parse
// requests, call the rules of package scorer and render; they hold no exam rules.
package console

import (
	"context"
	"embed"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"ispit/internal/sshsig"
	"ispit/scorer"
)

//go:embed templates static
var files embed.FS

// Config is what a console needs.
type Config struct {
	Store scorer.Store
	// Board is the scored view of the store; nil makes one.
	Board *scorer.Board
	// Trust holds the authority keys amendments uploaded in the console are checked against;
	// nil means amendments are loaded with the scorer command only.
	Trust *sshsig.Trust
	// Insecure serves cookies without the Secure attribute, for plain HTTP on loopback (tests
	// and the demo): browsers keep Secure cookies for HTTPS only.
	Insecure bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Log receives errors; nil means slog.Default.
	Log *slog.Logger
	// OnTextProblem, if set, receives every catalogue problem (a missing translation); tests
	// set it to fail.
	OnTextProblem func(string)
}

// Console serves the commission's pages.
type Console struct {
	cfg   Config
	store scorer.Store
	board *scorer.Board
	pages *pages
	// hashing bounds the Argon2id checks running at once: each takes 64 MiB.
	hashing chan struct{}
}

// New returns a console over a store.
func New(cfg Config) (*Console, error) {
	if cfg.Store == nil {
		return nil, errors.New("console: no store")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Board == nil {
		cfg.Board = scorer.NewBoard(cfg.Store, cfg.Now)
	}
	p, err := loadPages()
	if err != nil {
		return nil, err
	}
	return &Console{cfg: cfg, store: cfg.Store, board: cfg.Board, pages: p, hashing: make(chan struct{}, 2)}, nil
}

// Handler returns the console's routes.
func (c *Console) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /static/", http.FileServerFS(files))
	mux.HandleFunc("GET /signin", c.signInPage)
	mux.HandleFunc("POST /signin", c.signIn)
	mux.HandleFunc("GET /language", c.setLanguage)

	member := func(pattern string, h handler) { mux.Handle(pattern, c.member(nil, h)) }
	only := func(role scorer.Role, pattern string, h handler) { mux.Handle(pattern, c.member(&role, h)) }

	member("POST /signout", c.signOut)
	member("GET /password", c.passwordPage)
	member("POST /password", c.changePassword)
	member("GET /{$}", c.home)

	only(scorer.RoleGrader, "GET /grading", c.gradingQueue)
	only(scorer.RoleGrader, "GET /grading/{script}/{item}", c.gradePage)
	only(scorer.RoleGrader, "POST /grading/{script}/{item}", c.saveGrade)

	only(scorer.RoleInterviewer, "GET /interviews", c.interviewPositions)
	only(scorer.RoleInterviewer, "GET /interviews/{position}", c.interviewPage)
	only(scorer.RoleInterviewer, "POST /interviews/{position}/{candidate}", c.saveInterview)

	only(scorer.RoleSecretary, "GET /disputes", c.disputesPage)
	only(scorer.RoleSecretary, "POST /disputes/{script}/{item}", c.resolve)
	only(scorer.RoleSecretary, "GET /results", c.resultsIndex)
	only(scorer.RoleSecretary, "GET /results/{position}", c.resultsPage)
	only(scorer.RoleSecretary, "GET /results/{position}/record", c.recordPage)
	only(scorer.RoleSecretary, "POST /results/{position}/publication", c.publish)
	only(scorer.RoleSecretary, "GET /results.csv", c.resultsCSV)
	only(scorer.RoleSecretary, "GET /ranking.csv", c.rankingCSV)
	only(scorer.RoleSecretary, "GET /results.json", c.resultsJSON)
	only(scorer.RoleSecretary, "GET /day", c.dayPage)
	only(scorer.RoleSecretary, "POST /day/attempts/{attempt}/allow-move", c.allowMove)
	only(scorer.RoleSecretary, "GET /items", c.itemsIndex)
	only(scorer.RoleSecretary, "GET /items/{bank}/{part}", c.itemsPage)
	only(scorer.RoleSecretary, "GET /appeals", c.appealsPage)
	only(scorer.RoleSecretary, "GET /appeals/{code}", c.appealPage)
	only(scorer.RoleSecretary, "GET /appeals/{code}/image/{bank}/{name}", c.appealImage)
	only(scorer.RoleSecretary, "POST /appeals/{code}", c.lodgeAppeal)
	only(scorer.RoleSecretary, "POST /appeals/{code}/{id}", c.decideAppeal)
	only(scorer.RoleSecretary, "GET /amendments", c.amendmentsPage)
	only(scorer.RoleSecretary, "POST /amendments", c.uploadAmendment)
	only(scorer.RoleSecretary, "GET /users", c.usersPage)
	only(scorer.RoleSecretary, "POST /users", c.addUser)
	only(scorer.RoleSecretary, "POST /users/{name}", c.changeUser)
	only(scorer.RoleSecretary, "GET /audit", c.auditPage)
	only(scorer.RoleSecretary, "GET /rules", c.rulesPage)
	only(scorer.RoleSecretary, "POST /rules", c.saveRules)
	return securityHeaders(mux)
}

// securityHeaders sets what every response carries: no script, no framing, no referrer to
// another site (URLs may name a position or a receipt code), nothing cached.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// snapshot returns the board as it stands.
func (c *Console) snapshot(ctx context.Context) (*scorer.Snapshot, error) {
	return c.board.Current(ctx)
}
