package console_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"ispit/console"
	"ispit/internal/competition"
	"ispit/internal/sshsig"
	"ispit/scorer"
)

// testDir holds what the tests of this package share; TestMain removes it.
var testDir string

func TestMain(m *testing.M) {
	var err error
	if testDir, err = os.MkdirTemp("", "ispit-console-test-"); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(testDir)
	os.Exit(code)
}

// sitting is the demo competition sat once per test binary: real sealed sheets from the real
// attempt engine, for the scorer keys below.
var sitting = sync.OnceValues(func() (*sat, error) {
	dir := filepath.Join(testDir, "sitting")
	s := &sat{dir: dir}
	var err error
	if err := scorer.GenerateKeys(filepath.Join(dir, "keys"), []string{"127.0.0.1"}); err != nil {
		return nil, err
	}
	if s.keys, err = scorer.LoadKeys(filepath.Join(dir, "keys")); err != nil {
		return nil, err
	}
	if s.authority, s.trust, err = newSigner("authority"); err != nil {
		return nil, err
	}
	if s.files, err = competition.BuildFiles(s.authority, 1); err != nil {
		return nil, err
	}
	if s.terminal, _, err = newSigner("terminal"); err != nil {
		return nil, err
	}
	term := competition.Terminal{ID: "T-01", Key: s.terminal, Dir: filepath.Join(dir, "terminal")}
	s.sheets, err = competition.Sit(s.files, s.trust, s.keys.SheetRecipient, term, competition.Plan)
	return s, err
})

type sat struct {
	dir       string
	keys      *scorer.Keys
	authority ssh.Signer
	trust     *sshsig.Trust
	files     *competition.Files
	terminal  ssh.Signer
	sheets    []competition.Sheet
}

func newSigner(comment string) (ssh.Signer, *sshsig.Trust, error) {
	priv, pub, err := sshsig.GenerateKey(comment)
	if err != nil {
		return nil, nil, err
	}
	signer, err := ssh.ParsePrivateKey(priv)
	if err != nil {
		return nil, nil, err
	}
	trust, err := sshsig.ParseTrust(pub)
	return signer, trust, err
}

// clock is the console's clock in tests: it moves only when told.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// world is a scorer's store holding the demo competition's sheets, answer key, questions and
// roster, with a console over it on an HTTPS test server.
type world struct {
	t        *testing.T
	sat      *sat
	store    *scorer.SQLiteStore
	clock    *clock
	server   *httptest.Server
	receipts map[string]string // candidate code + " " + part → receipt code
	// held are the sheets not delivered yet, by candidate code + " " + part: still on the
	// terminal, or on a drive it exported them to.
	held map[string]competition.Sheet
}

// The members of the test commission and their passwords.
var members = []struct {
	name, full string
	roles      []scorer.Role
}{
	{"tajnica", "Amra Tajić", []scorer.Role{scorer.RoleSecretary}},
	{"ana", "Ana Anić", []scorer.Role{scorer.RoleGrader, scorer.RoleInterviewer}},
	{"boris", "Boris Borić", []scorer.Role{scorer.RoleGrader}},
	{"cvijeta", "Cvijeta Cvijić", []scorer.Role{scorer.RoleGrader}},
	{"dino", "Dino Dinić", []scorer.Role{scorer.RoleInterviewer}},
}

const memberPassword = "lozinka za test 1"

// hashed is memberPassword hashed once: Argon2id takes 64 MiB and a while under the race
// detector.
var hashed = sync.OnceValue(func() string { return scorer.HashPassword(memberPassword) })

// newWorld makes a world with every sheet of the sitting delivered but those held (candidate
// code + " " + part), which deliver brings in later.
func newWorld(t *testing.T, held ...string) *world {
	t.Helper()
	s, err := sitting()
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, sat: s, clock: &clock{now: time.Now()}, receipts: map[string]string{}, held: map[string]competition.Sheet{}}
	if w.store, err = scorer.OpenSQLite(filepath.Join(t.TempDir(), "scorer.db")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.store.Close() })
	ctx := context.Background()
	line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(s.terminal.PublicKey())))
	if err := w.store.AddTerminal(ctx, scorer.Terminal{ID: "T-01", PublicKey: line, Added: time.Now()}); err != nil {
		t.Fatal(err)
	}
	for _, sh := range s.sheets { // in the order sat
		key := sh.Candidate + " " + sh.Part
		w.held[key] = sh
		if !slices.Contains(held, key) {
			w.deliver(key)
		}
	}
	if err := w.store.PutAnswerKey(ctx, "demo-2026", s.files.Answers); err != nil {
		t.Fatal(err)
	}
	if _, err := scorer.LoadBank(ctx, w.store, s.files.Bank, s.trust, s.files.StartCode, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := scorer.LoadRoster(ctx, w.store, s.files.Roster, s.trust, time.Now()); err != nil {
		t.Fatal(err)
	}
	rules := scorer.Rules{MinGraders: 2, Disagreement: 10, ListSize: 3}
	if err := w.store.PutRules(ctx, rules, scorer.Audit("cli:test", scorer.AuditRules, "rules", time.Now(), nil)); err != nil {
		t.Fatal(err)
	}
	for _, m := range members {
		u := scorer.User{Name: m.name, FullName: m.full, Roles: m.roles, Password: hashed(), Created: time.Now()}
		if err := w.store.AddUser(ctx, u, scorer.Audit("cli:test", scorer.AuditUserAdded, m.name, time.Now(), nil)); err != nil {
			t.Fatal(err)
		}
	}
	con, err := console.New(console.Config{
		Store: w.store, Trust: s.trust, Now: w.clock.Now,
		Log:           slog.New(slog.NewTextHandler(io.Discard, nil)),
		OnTextProblem: func(p string) { t.Errorf("console text: %s", p) },
	})
	if err != nil {
		t.Fatal(err)
	}
	w.server = httptest.NewTLSServer(con.Handler())
	t.Cleanup(w.server.Close)
	return w
}

// deliver brings a held sheet to the scorer, as its terminal's upload or `scorer import` does.
func (w *world) deliver(key string) {
	w.t.Helper()
	sh, ok := w.held[key]
	if !ok {
		w.t.Fatalf("no sheet %q is held", key)
	}
	svc := scorer.NewService(w.store, w.sat.keys, scorer.Config{})
	defer svc.Close()
	rec, _, err := svc.Ingest(context.Background(), sh.Sealed)
	if err != nil {
		w.t.Fatal(err)
	}
	w.receipts[key] = rec.ReceiptCode
	delete(w.held, key)
}

// browser is one member's browser: cookies kept, redirects not followed, so that tests see
// every answer.
type browser struct {
	w      *world
	client *http.Client
	lang   string
}

func (w *world) browser() *browser {
	jar, _ := cookiejar.New(nil)
	c := *w.server.Client() // a client of its own: the server's is shared
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &browser{w: w, client: &c, lang: "en"}
}

// page is an answer: its status, where it redirects, its body.
type page struct {
	status   int
	location string
	body     string
}

func (b *browser) do(method, path string, form url.Values) page {
	b.w.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.w.server.URL+path, body)
	if err != nil {
		b.w.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", b.w.server.URL)
	}
	req.Header.Set("Accept-Language", b.lang)
	resp, err := b.client.Do(req)
	if err != nil {
		b.w.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, location: resp.Header.Get("Location"), body: string(data)}
}

func (b *browser) get(path string) page { return b.do(http.MethodGet, path, nil) }

// post sends a form with the CSRF token of the page at from.
func (b *browser) post(path, from string, form url.Values) page {
	b.w.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", b.csrf(from))
	}
	return b.do(http.MethodPost, path, form)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the CSRF token from a page's forms.
func (b *browser) csrf(path string) string {
	b.w.t.Helper()
	p := b.get(path)
	m := csrfField.FindStringSubmatch(p.body)
	if m == nil {
		b.w.t.Fatalf("no CSRF token on %s (%d): %.300s", path, p.status, p.body)
	}
	return m[1]
}

// signIn signs a member in and returns their browser.
func (w *world) signIn(name string) *browser {
	w.t.Helper()
	b := w.browser()
	p := b.post("/signin", "/signin", url.Values{"name": {name}, "password": {memberPassword}})
	if p.status != http.StatusSeeOther || p.location != "/" {
		w.t.Fatalf("%s signing in: %d %s: %.500s", name, p.status, p.location, p.body)
	}
	return b
}
