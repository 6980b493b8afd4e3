package main

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/ssh"

	"ispit/internal/pgtest"
	"ispit/scorer"
	"ispit/sheet"
)

// lgSetup is what a load run offers its load to, and how much it sends.
type lgSetup struct {
	// DB is the scorers' database: "sqlite" (scorer.db in the data folder) or "postgres" (a
	// new database on the tests' server).
	DB string
	// Replicas is the number of scorers over the database: more than one need PostgreSQL and
	// serve behind the test's round-robin proxy (proxy_test.go), each from a data folder of
	// its own with a copy of the keys.
	Replicas  int
	Terminals int      // terminals that submit
	Sustained int      // sheets of the sustained phase
	Burst     int      // sheets of the burst
	Serve     []string // more flags for `scorer serve`
	Env       []string // more environment variables for the scorers
	TLS       bool     // the scorer serves HTTPS (one scorer: the proxy speaks HTTP)
}

// lgRun is a load run ready to go: the scorers serving, the terminals enrolled, and every
// sheet sealed and signed.
type lgRun struct {
	DBURL      string // the scorers' --db; "" for SQLite
	Data       string // the first scorer's data folder, where SQLite keeps the database
	Scorers    []*lgScorer
	Proxy      *lgProxy // in front of the scorers when there are several
	Terminals  int
	Sustained  []*lgSheet
	Burst      []*lgSheet
	ReceiptKey ssh.PublicKey
	// ClientTLS is the clients' TLS configuration, pinned to the scorer's certificate as a
	// kiosk's is; nil when the scorers serve plain HTTP.
	ClientTLS *tls.Config
}

// lgSetUp makes the scorers' keys, enrols the terminals, seals every sheet in advance (sealing
// is the kiosk's cost, not the scorer's), and starts the scorers and, for several, the proxy.
func lgSetUp(t *testing.T, cfg lgSetup) *lgRun {
	t.Helper()
	ctx := context.Background()
	var dbURL string
	switch {
	case cfg.DB == "postgres":
		dbURL = pgtest.NewDatabase(t)
	case cfg.DB != "sqlite":
		t.Fatalf("the database %q is neither sqlite nor postgres", cfg.DB)
	case cfg.Replicas > 1:
		t.Fatalf("%d replicas need PostgreSQL: SQLite serves one scorer", cfg.Replicas)
	}
	if cfg.TLS && cfg.Replicas > 1 {
		t.Fatal("the replicas' proxy speaks plain HTTP: TLS is measured with one scorer")
	}

	data := t.TempDir()
	bin, keys := lgScorerWithKeys(t, data)
	terms := lgNewTerminals(t, cfg.Terminals, "load")
	store, err := scorer.OpenStore(ctx, dbURL, data)
	if err != nil {
		t.Fatal(err)
	}
	for _, term := range terms {
		if err := store.AddTerminal(ctx, scorer.Terminal{ID: term.ID, PublicKey: strings.TrimSpace(string(term.PubLine)), Added: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	store.Close()
	sealStart := time.Now()
	sustained := lgSealSheets(t, terms, keys.SheetRecipient, "sus", cfg.Sustained, lgPublicExamItems)
	burst := lgSealSheets(t, terms, keys.SheetRecipient, "burst", cfg.Burst, lgPublicExamItems)
	t.Logf("sealed and signed %d + %d sheets of %d bytes in %v (kiosk-side cost, not timed)",
		cfg.Sustained, cfg.Burst, len(sustained[0].Sealed), time.Since(sealStart).Round(time.Millisecond))
	runtime.GC()

	run := &lgRun{DBURL: dbURL, Data: data, Terminals: cfg.Terminals, Sustained: sustained, Burst: burst, ReceiptKey: keys.Receipt.PublicKey()}
	if cfg.TLS {
		sum := sha256.Sum256(keys.TLS.Certificate[0])
		run.ClientTLS = sheet.PinnedTLSConfig(hex.EncodeToString(sum[:]))
	}
	extra := cfg.Serve
	if dbURL != "" {
		extra = append([]string{"--db", dbURL}, cfg.Serve...)
	}
	var addrs []string
	for i := range max(cfg.Replicas, 1) {
		dir := data
		if i > 0 {
			dir = t.TempDir()
			lgCopyKeys(t, data, dir)
		}
		srv := &lgScorer{Bin: bin, Data: dir, Addr: lgFreeAddr(t), Extra: extra, Env: cfg.Env, TLS: run.ClientTLS}
		srv.Start(t)
		run.Scorers = append(run.Scorers, srv)
		addrs = append(addrs, srv.Addr)
	}
	if dbURL != "" {
		t.Logf("database: %s", lgDescribePostgres(t, dbURL))
	}
	if len(addrs) > 1 {
		run.Proxy = lgStartProxy(t, addrs)
		t.Logf("%d scorers over the one database, each with a data folder of its own holding a copy of the keys, behind a round-robin proxy (a process of its own, at most %d connections to each scorer, no retries: 502 when a scorer is down)",
			len(addrs), lgProxyConns)
	}
	return run
}

// lgDescribePostgres tells which PostgreSQL server the scorers use, and how it is set up.
func lgDescribePostgres(t *testing.T, url string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var version, buffers, fsync, commit string
	err = conn.QueryRow(ctx, `SELECT current_setting('server_version'), current_setting('shared_buffers'), current_setting('fsync'), current_setting('synchronous_commit')`).
		Scan(&version, &buffers, &fsync, &commit)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("PostgreSQL %s on this machine (the tests' server, internal/pgtest: fsync %s, synchronous_commit %s, shared_buffers %s)", version, fsync, commit, buffers)
}

// URL is where the clients send sheets: the proxy, or the one scorer.
func (r *lgRun) URL() string {
	if r.Proxy != nil {
		return r.Proxy.URL()
	}
	return r.Scorers[0].URL()
}

// startPhase starts measuring a phase of the run.
func (r *lgRun) startPhase(t *testing.T, name string) *lgPhase {
	pids := make([]int, len(r.Scorers))
	for i, s := range r.Scorers {
		pids[i] = s.PID()
	}
	proxy := 0
	if r.Proxy != nil {
		proxy = r.Proxy.PID()
	}
	return lgStartPhase(t, pids, proxy, name)
}

// Stop stops the scorers and the proxy, and logs the proxy's figures.
func (r *lgRun) Stop(t *testing.T) {
	t.Helper()
	for _, s := range r.Scorers {
		s.Stop(t)
	}
	if r.Proxy != nil {
		t.Logf("proxy: %s", r.Proxy.Stop(t))
	}
}
