// Package pgtest runs a real PostgreSQL server for tests: initdb in a temporary folder, the
// server on a free loopback port with its socket in that folder and fsync on, and a new
// database per test, so that tests are isolated and can run in parallel.
//
// NewDatabase uses one server per test binary, started the first time a test asks for a
// database; a package's TestMain calls Run so that the server is stopped and its folder
// removed when the tests end. Start gives a test a server of its own, which it may stop as a
// crash would and start again.
//
// The server runs as a child of the test binary that the kernel stops when the binary dies,
// even by a time-out. Run as root (initdb refuses root), the server runs as the postgres user
// that Debian's postgresql package creates. Without PostgreSQL installed a test that asks for
// a database fails, unless ISPIT_SKIP_POSTGRES=1 lets it skip.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// SkipEnv is the environment variable that, set to 1, lets tests skip when PostgreSQL is not
// installed instead of failing.
const SkipEnv = "ISPIT_SKIP_POSTGRES"

// ErrNotInstalled reports that no PostgreSQL server programs were found.
var ErrNotInstalled = errors.New("PostgreSQL is not installed: no initdb, pg_ctl and postgres in PATH or /usr/lib/postgresql/*/bin " +
	"(install Debian's postgresql package, as scripts/deps.sh does, or set " + SkipEnv + "=1 to skip the tests that need it)")

// startTimeout bounds the wait for a starting server to accept connections.
const startTimeout = 30 * time.Second

// Server is a PostgreSQL server in a temporary folder.
type Server struct {
	dir  string // the temporary folder: data/, the socket, server.log
	bin  string // the folder of initdb, pg_ctl and postgres
	port int
	cred *syscall.Credential // whom the server runs as, when the tests run as root

	mu     sync.Mutex
	exited chan struct{} // closed when the running server's process ends; nil when stopped
}

var (
	shared     *Server
	sharedErr  error
	sharedOnce sync.Once
	databases  atomic.Int64
)

// NewDatabase creates an empty database on the test binary's server and returns its URL. The
// databases stay until the server is removed (dropping one makes the server checkpoint,
// which takes longer than the test).
func NewDatabase(t testing.TB) string {
	t.Helper()
	sharedOnce.Do(func() { shared, sharedErr = newServer() })
	if sharedErr != nil {
		fail(t, sharedErr)
	}
	return shared.Database(t)
}

// Run runs a package's tests and then stops the shared server and removes its folder; a
// TestMain calls os.Exit(pgtest.Run(m)).
func Run(m *testing.M) int {
	code := m.Run()
	if shared != nil {
		if err := shared.remove(); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
		}
	}
	return code
}

// Start starts a server of the test's own, which the test may Stop and Restart; it is stopped
// and removed when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s, err := newServer()
	if err != nil {
		fail(t, err)
	}
	t.Cleanup(func() {
		if err := s.remove(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// fail ends a test that cannot have a server: it skips when PostgreSQL is not installed and
// ISPIT_SKIP_POSTGRES=1 allows it, and fails otherwise.
func fail(t testing.TB, err error) {
	t.Helper()
	if errors.Is(err, ErrNotInstalled) && os.Getenv(SkipEnv) == "1" {
		t.Skip(err)
	}
	t.Fatal(err)
}

// Database creates an empty database on s and returns its URL.
func (s *Server) Database(t testing.TB) string {
	t.Helper()
	url, err := s.createDatabase(t.Name())
	if err != nil {
		t.Fatal(err)
	}
	return url
}

// newServer makes a cluster in a new temporary folder and starts its server.
func newServer() (*Server, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	s := &Server{bin: bin}
	if os.Geteuid() == 0 {
		if s.cred, err = postgresUser(); err != nil {
			return nil, err
		}
	}
	if s.dir, err = os.MkdirTemp("", "ispit-pg-"); err != nil {
		return nil, err
	}
	if s.cred != nil {
		if err := os.Chown(s.dir, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
			os.RemoveAll(s.dir)
			return nil, err
		}
	}
	if s.port, err = freePort(); err == nil {
		if err = s.initdb(); err == nil {
			err = s.Restart()
		}
	}
	if err != nil {
		os.RemoveAll(s.dir)
		return nil, err
	}
	return s, nil
}

// findBin returns the folder of initdb, pg_ctl and postgres: that of initdb in PATH, or the
// newest /usr/lib/postgresql/VERSION/bin.
func findBin() (string, error) {
	var dirs []string
	if initdb, err := exec.LookPath("initdb"); err == nil {
		if target, err := filepath.EvalSymlinks(initdb); err == nil {
			dirs = append(dirs, filepath.Dir(target))
		}
	}
	versions, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(versions, func(a, b string) int { return version(b) - version(a) })
	for _, dir := range append(dirs, versions...) {
		if hasPrograms(dir, "initdb", "pg_ctl", "postgres") {
			return dir, nil
		}
	}
	return "", ErrNotInstalled
}

// Program returns the path of a program of the PostgreSQL the tests run, such as pg_dump or
// pg_restore: from the folder where initdb is found, so that it is of the server's version.
func Program(name string) (string, error) {
	bin, err := findBin()
	if err != nil {
		return "", err
	}
	if !hasPrograms(bin, name) {
		return "", fmt.Errorf("%s is not in %s, beside initdb", name, bin)
	}
	return filepath.Join(bin, name), nil
}

// version is the major version in a /usr/lib/postgresql/VERSION/bin path.
func version(bin string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(bin)))
	return v
}

func hasPrograms(dir string, names ...string) bool {
	for _, name := range names {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil || info.IsDir() || info.Mode()&0o111 == 0 {
			return false
		}
	}
	return true
}

// postgresUser is the account the server runs as when the tests run as root.
func postgresUser() (*syscall.Credential, error) {
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("the tests run as root, and initdb refuses root: they run PostgreSQL as the postgres user, which Debian's postgresql package creates: %v", err)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("user postgres: uid %q: %v", u.Uid, err)
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("user postgres: gid %q: %v", u.Gid, err)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// freePort returns a loopback TCP port nothing listens on now.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// command returns a server program of s, run as the server's user.
func (s *Server) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(s.bin, name), args...)
	cmd.Dir = s.dir
	cmd.Env = []string{"PATH=/usr/bin:/bin", "LC_ALL=C.UTF-8", "TZ=UTC"}
	if s.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	}
	return cmd
}

func (s *Server) data() string { return filepath.Join(s.dir, "data") }

// initdb makes the cluster: UTF-8, trust on loopback only (nothing listens elsewhere), and an
// ICU default collation where the server has one, so that a query relying on the database's
// collation for its order shows in the tests.
func (s *Server) initdb() error {
	base := []string{"-D", s.data(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"}
	out, err := s.command("initdb", append(base, "--locale-provider=icu", "--icu-locale=en")...).CombinedOutput()
	if err != nil {
		os.RemoveAll(s.data())
		out, err = s.command("initdb", base...).CombinedOutput()
	}
	if err != nil {
		return fmt.Errorf("initdb: %v: %s", err, out)
	}
	return nil
}

// Restart starts the server, stopped or never started, on its port.
func (s *Server) Restart() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.exited != nil {
		return errors.New("the PostgreSQL server runs already")
	}
	logPath := filepath.Join(s.dir, "server.log")
	log, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer log.Close()
	cmd := s.command("postgres", "-D", s.data(), "-p", strconv.Itoa(s.port), "-k", s.dir,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=on", "-c", "synchronous_commit=on", "-c", "full_page_writes=on",
		"-c", "max_connections=200", "-c", "shared_buffers=16MB")
	cmd.Stdout, cmd.Stderr = log, log
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGQUIT // the test binary died: shut down at once
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting postgres: %v", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	s.exited = exited

	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	for {
		conn, err := pgx.Connect(ctx, s.url("postgres"))
		if err == nil {
			conn.Close(ctx)
			return nil
		}
		select {
		case <-exited:
			s.exited = nil
			return fmt.Errorf("the PostgreSQL server stopped while starting: %s", tail(logPath))
		case <-ctx.Done():
			return fmt.Errorf("the PostgreSQL server did not accept connections in %v: %v; %s", startTimeout, err, tail(logPath))
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Stop stops the server at once, as a crash would (pg_ctl stop -m immediate): it writes
// nothing back, and its next start recovers what was committed from the write-ahead log.
func (s *Server) Stop() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.exited == nil {
		return nil // not running
	}
	select {
	case <-s.exited: // it ended by itself
		s.exited = nil
		return nil
	default:
	}
	out, err := s.command("pg_ctl", "stop", "-D", s.data(), "-m", "immediate", "-w").CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl stop: %v: %s", err, out)
	}
	<-s.exited
	s.exited = nil
	return nil
}

// remove stops the server and removes its folder.
func (s *Server) remove() error {
	err := s.Stop()
	return errors.Join(err, os.RemoveAll(s.dir))
}

// url is the URL of a database on s.
func (s *Server) url(database string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", s.port, database)
}

var unsafeName = regexp.MustCompile(`[^a-z0-9]+`)

// createDatabase creates a database named after a test and returns its URL.
func (s *Server) createDatabase(test string) (string, error) {
	name := fmt.Sprintf("t%d_%s", databases.Add(1), strings.Trim(unsafeName.ReplaceAllString(strings.ToLower(test), "_"), "_"))
	if len(name) > 63 {
		name = name[:63]
	}
	if err := s.admin(`CREATE DATABASE ` + pgx.Identifier{name}.Sanitize()); err != nil {
		return "", fmt.Errorf("creating the test database %s: %v", name, err)
	}
	return s.url(name), nil
}

// admin runs a statement in the server's postgres database.
func (s *Server) admin(sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.url("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// tail returns the end of the server's log, for a failure message.
func tail(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return "no server log: " + err.Error()
	}
	const most = 2000
	if len(data) > most {
		data = data[len(data)-most:]
	}
	return "the server log ends: " + string(data)
}
