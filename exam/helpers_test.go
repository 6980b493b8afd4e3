package exam

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"ispit/assets"
	"ispit/bank"
	"ispit/bank/source"
	"ispit/internal/sshsig"
)

// fakeClock is a clock the test moves by hand. Its wall clock can jump without the monotonic
// clock moving, as a changed system clock does.
type fakeClock struct {
	mu      sync.Mutex
	wall    time.Time
	elapsed time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{wall: time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.wall
}

func (c *fakeClock) Elapsed() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.elapsed
}

// Advance moves both clocks, as time passing does.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wall = c.wall.Add(d)
	c.elapsed += d
}

// JumpWall moves only the wall clock, as someone changing the system clock does.
func (c *fakeClock) JumpWall(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wall = c.wall.Add(d)
}

// testFixture is an opened demo bank with its roster, shared by the tests of this package.
type testFixture struct {
	bank   *bank.Bank
	roster *bank.Roster
	code   string
}

var (
	fixtureOnce sync.Once
	fixture     testFixture
	fixtureErr  error
)

func demoFixture(t testing.TB) testFixture {
	t.Helper()
	fixtureOnce.Do(func() {
		fixture, fixtureErr = buildFixture()
	})
	if fixtureErr != nil {
		t.Fatal(fixtureErr)
	}
	return fixture
}

func buildFixture() (testFixture, error) {
	def, err := source.LoadFS(assets.DemoBankSource(), "bank.yaml")
	if err != nil {
		return testFixture{}, err
	}
	priv, pub, err := sshsig.GenerateKey("test")
	if err != nil {
		return testFixture{}, err
	}
	signer, err := ssh.ParsePrivateKey(priv)
	if err != nil {
		return testFixture{}, err
	}
	trust, err := sshsig.ParseTrust(pub)
	if err != nil {
		return testFixture{}, err
	}
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	built, err := bank.Build(def, bank.BuildOptions{Signer: signer, WorkFactor: 1, Now: now})
	if err != nil {
		return testFixture{}, err
	}
	v, err := bank.Verify(built.Bank, trust, now)
	if err != nil {
		return testFixture{}, err
	}
	b, err := v.Open(built.StartCode)
	if err != nil {
		return testFixture{}, err
	}
	signed, err := bank.SignRoster(assets.DemoRosterCSV(), signer)
	if err != nil {
		return testFixture{}, err
	}
	roster, err := bank.ReadRoster(signed, trust, now)
	if err != nil {
		return testFixture{}, err
	}
	return testFixture{bank: b, roster: roster, code: built.StartCode}, nil
}

var testSecret = []byte("terminal secret for the tests..")

// openTestEngine opens an engine on a database in dir.
func openTestEngine(t testing.TB, dir string, clock Clock) *Engine {
	t.Helper()
	e, err := Open(filepath.Join(dir, "exam.db"), Options{TerminalID: "T-01", Secret: testSecret, Clock: clock, ProgramVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// startTestSession opens an engine with a fake clock and starts a session on the demo bank.
func startTestSession(t testing.TB) (*Engine, *Session, *fakeClock, string) {
	t.Helper()
	dir := t.TempDir()
	clock := newFakeClock()
	e := openTestEngine(t, dir, clock)
	t.Cleanup(func() { e.Close() })
	f := demoFixture(t)
	s, err := e.StartSession(f.bank, f.roster, "public", "proctor-1", f.code)
	if err != nil {
		t.Fatal(err)
	}
	return e, s, clock, dir
}

// beginPublic admits a candidate to the public exam and begins it.
func beginPublic(t testing.TB, s *Session, code string) *Attempt {
	t.Helper()
	a, err := s.Admit(code, "public")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Begin("bs"); err != nil {
		t.Fatal(err)
	}
	return a
}
