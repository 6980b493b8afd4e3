package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"golang.org/x/crypto/ssh"

	"ispit/bank"
	"ispit/console"
	"ispit/internal/cli"
	"ispit/internal/sshsig"
	"ispit/scorer"
	"ispit/sheet"
)

func runKeygen(args []string, stdout io.Writer) error {
	c := newCommand("keygen", stdout)
	var hosts multiFlag
	c.Var(&hosts, "host", "a host name or address the TLS certificate is for (repeatable; default 127.0.0.1 and localhost)")
	if _, err := c.parse(args, 0); err != nil {
		return err
	}
	if len(hosts) == 0 {
		hosts = multiFlag{"127.0.0.1", "localhost", "::1"}
	}
	if err := scorer.GenerateKeys(c.keysDir(), hosts); err != nil {
		return err
	}
	keys, err := c.keys()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote the scorer's keys to %s\n", c.keysDir())
	fmt.Fprintf(stdout, "receipt key %s\n", sshsig.Fingerprint(keys.Receipt.PublicKey()))
	fmt.Fprintf(stdout, "TLS certificate SHA-256 %s (for %s)\n", keys.TLSCertSHA256, strings.Join(hosts, ", "))
	return nil
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func runServe(args []string, stdout io.Writer) error {
	c := newCommand("serve", stdout).withStore().withTrust("trusted authority keys, for key amendments loaded in the console (optional)")
	addr := c.String("addr", "127.0.0.1:8443", "address to listen on")
	consoleAddr := c.String("console-addr", "", "address of the commission's console (its own listener; none when empty)")
	insecure := c.Bool("insecure-http", false, "serve plain HTTP (only on loopback addresses, for tests and the demo)")
	maxConns := c.Int("max-conns", 0, "connections served at once, kept alive between a kiosk's uploads (default 2048; about 20 KB each)")
	if _, err := c.parse(args, 0); err != nil {
		return err
	}
	if *insecure && (!isLoopback(*addr) || (*consoleAddr != "" && !isLoopback(*consoleAddr))) {
		return fmt.Errorf("plain HTTP is only allowed on loopback addresses")
	}
	keys, err := c.keys()
	if err != nil {
		return err
	}
	var trust *sshsig.Trust
	if *c.trust != "" {
		if trust, err = sshsig.LoadTrust(*c.trust); err != nil {
			return err
		}
	}
	store, err := c.openStore()
	if err != nil {
		return err
	}
	defer store.Close()
	tuneGC(os.Getenv)
	svc := scorer.NewService(store, keys, scorer.Config{MaxConns: *maxConns})
	defer svc.Close()
	servers := []*http.Server{scorer.NewHTTPServer(*addr, svc.Handler())}
	names := []string{"scorer"}
	if *consoleAddr != "" {
		con, err := console.New(console.Config{Store: store, Trust: trust, Insecure: *insecure})
		if err != nil {
			return err
		}
		servers = append(servers, scorer.NewHTTPServer(*consoleAddr, con.Handler()))
		names = append(names, "console")
	}
	scheme := "https"
	if *insecure {
		scheme = "http"
	}
	errc := make(chan error, len(servers))
	for i, srv := range servers {
		ln, err := net.Listen("tcp", srv.Addr)
		if err != nil {
			return err
		}
		if i == 0 {
			ln = svc.Listener(srv, ln)
		}
		slog.Info(names[i]+" listening", "url", scheme+"://"+ln.Addr().String())
		fmt.Fprintf(stdout, "%s listening on %s://%s\n", names[i], scheme, ln.Addr())
		go func() {
			if *insecure {
				errc <- srv.Serve(ln)
			} else {
				srv.TLSConfig = scorer.TLSConfig(keys)
				errc <- srv.ServeTLS(ln, "", "")
			}
		}()
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	var serveErr error
	select {
	case serveErr = <-errc:
	case <-stop:
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, srv := range servers {
		srv.Shutdown(ctx)
	}
	return serveErr
}

// The garbage collector's settings for serving, unless GOGC or GOMEMLIMIT say otherwise: every
// upload makes some 250 KB of short-lived garbage, so collecting at 4× the live heap instead of
// 2× saves about a tenth of the CPU per sheet; the soft limit makes the collector work harder
// instead when that would take the scorer past 192 MiB. The live heap stays far below it, even
// in a burst, because connections and uploads beyond a bound wait outside the process (see
// scorer.Config).
const (
	serveGCPercent   = 400
	serveMemoryLimit = 192 << 20
)

func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serveMemoryLimit)
	}
}

func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func runEnrolment(args []string, stdout io.Writer) error {
	c := newCommand("enrolment", stdout)
	url := c.String("url", "", "the scorer's address as kiosks reach it, e.g. https://10.0.0.5:8443")
	out := c.String("out", "", "the enrolment file to write")
	if _, err := c.parse(args, 0, "url", "out"); err != nil {
		return err
	}
	keys, err := c.keys()
	if err != nil {
		return err
	}
	doc, err := json.MarshalIndent(keys.Enrolment(*url), "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, append(doc, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s\n", *out)
	return nil
}

func runTerminalAdd(args []string, stdout io.Writer) error {
	c := newCommand("terminal add", stdout).withStore()
	id := c.String("id", "", "the terminal's id, as its kiosk is configured")
	keyFile := c.String("key", "", "the terminal's public key file (ssh-ed25519)")
	if _, err := c.parse(args, 0, "id", "key"); err != nil {
		return err
	}
	if !sheet.ValidID(*id) {
		return fmt.Errorf("terminal id %q is not allowed (letters, digits, '.', '_', '-')", *id)
	}
	raw, err := os.ReadFile(*keyFile)
	if err != nil {
		return err
	}
	key, _, _, _, err := ssh.ParseAuthorizedKey(raw)
	if err != nil {
		return fmt.Errorf("%s: not a public key: %v", *keyFile, err)
	}
	if key.Type() != ssh.KeyAlgoED25519 {
		return fmt.Errorf("%s: terminal keys are Ed25519, not %s", *keyFile, key.Type())
	}
	store, err := c.openStore()
	if err != nil {
		return err
	}
	defer store.Close()
	line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(key)))
	if err := store.AddTerminal(context.Background(), scorer.Terminal{ID: *id, PublicKey: line, Added: time.Now()}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "terminal %s enrolled (%s)\n", *id, sshsig.Fingerprint(key))
	return nil
}

func runAnswersLoad(args []string, stdout io.Writer) error {
	c := newCommand("answers load", stdout).withStore().withTrust(trustUsage)
	trust, file, err := c.readSigned(args)
	if err != nil {
		return err
	}
	key, _, err := bank.ReadAnswerKey(file, trust, time.Now())
	if err != nil {
		return err
	}
	store, err := c.openStore()
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.PutAnswerKey(context.Background(), key.BankID, file); err != nil {
		return err
	}
	report, err := scorer.BuildReport(context.Background(), store)
	if err != nil {
		return err
	}
	held := 0
	for _, h := range report.Held {
		if h.BankID == key.BankID {
			held++
		}
	}
	fmt.Fprintf(stdout, "answer key for bank %s loaded: %d items, %d parts; %d sheets of this bank cannot be scored\n", key.BankID, len(key.Items), len(key.Parts), held)
	return nil
}

func runImport(args []string, stdout io.Writer) error {
	c := newCommand("import", stdout).withStore()
	dirs, err := c.parse(args, 1)
	if err != nil {
		return err
	}
	keys, err := c.keys()
	if err != nil {
		return err
	}
	store, err := c.openStore()
	if err != nil {
		return err
	}
	defer store.Close()
	svc := scorer.NewService(store, keys, scorer.Config{})
	defer svc.Close()
	summary, err := scorer.ImportFolder(context.Background(), svc, dirs[0])
	if err != nil {
		return err
	}
	for _, f := range summary.Refused {
		fmt.Fprintf(stdout, "refused %s: %s\n", f.File, f.Reason)
	}
	fmt.Fprintf(stdout, "imported %d new sheets, %d already received, %d refused\n", summary.New, summary.Duplicates, len(summary.Refused))
	if len(summary.Refused) > 0 {
		return fmt.Errorf("%d sheets were refused", len(summary.Refused))
	}
	return nil
}

func runResults(args []string, stdout io.Writer) error {
	c := newCommand("results", stdout).withStore()
	format := c.String("format", "csv", "csv or json")
	ranking := c.Bool("ranking", false, "the successful candidates of each position instead of every result")
	out := c.String("out", "", "write to this file instead of standard output")
	if _, err := c.parse(args, 0); err != nil {
		return err
	}
	if *format != "csv" && *format != "json" {
		return fmt.Errorf("%w: --format is csv or json", cli.ErrUsage)
	}
	store, err := c.openStore()
	if err != nil {
		return err
	}
	defer store.Close()
	report, err := scorer.BuildReport(context.Background(), store)
	if err != nil {
		return err
	}
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	switch {
	case *format == "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(report)
	case *ranking:
		return scorer.WriteRankingCSV(w, report.Results)
	default:
		return scorer.WriteCSV(w, report.Results)
	}
}

func runGrade(args []string, stdout io.Writer) error {
	c := newCommand("grade", stdout).withStore()
	sheetID := c.String("sheet", "", "the sheet id")
	item := c.String("item", "", "the written task's item id")
	grader := c.String("grader", "", "the grader's name")
	points := c.Int("points", -1, "the points given")
	comment := c.String("comment", "", "the grader's comment (optional)")
	if _, err := c.parse(args, 0, "sheet", "item", "grader"); err != nil {
		return err
	}
	store, err := c.openStore()
	if err != nil {
		return err
	}
	defer store.Close()
	ctx := context.Background()
	rec, err := store.Sheet(ctx, *sheetID)
	if err != nil {
		return err
	}
	file, err := store.AnswerKeyFile(ctx, rec.BankID)
	if err != nil {
		return fmt.Errorf("load the answer key of bank %s first: %w", rec.BankID, err)
	}
	key, err := bank.DecodeAnswerKey(file)
	if err != nil {
		return err
	}
	s, err := scorer.DecodeSheet(rec.Plain)
	if err != nil {
		return err
	}
	g := scorer.Grade{SheetID: *sheetID, ItemID: *item, Grader: strings.TrimSpace(*grader), Points: *points, Comment: *comment, At: time.Now()}
	if err := g.Validate(key, s); err != nil {
		return err
	}
	audit := scorer.Audit("cli:"+g.Grader, scorer.AuditGrade, "sheet "+g.SheetID+" task "+g.ItemID, g.At,
		map[string]string{"sheet": g.SheetID, "item": g.ItemID, "points": fmt.Sprint(g.Points), "comment": g.Comment})
	if err := store.PutGrade(ctx, g, audit); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "grade recorded: sheet %s, task %s, %s: %d points\n", *sheetID, *item, g.Grader, g.Points)
	return nil
}

func runInterview(args []string, stdout io.Writer) error {
	c := newCommand("interview", stdout).withStore()
	candidate := c.String("candidate", "", "the candidate code")
	position := c.String("position", "", "the position code")
	points := c.Int("points", -1, "the interview points (0 to 30)")
	by := c.String("by", "", "who enters the points")
	if _, err := c.parse(args, 0, "candidate", "position", "by"); err != nil {
		return err
	}
	iv := scorer.Interview{Candidate: strings.ToUpper(strings.TrimSpace(*candidate)), Position: strings.TrimSpace(*position), Points: *points, Entered: time.Now(), By: strings.TrimSpace(*by)}
	if err := iv.Validate(); err != nil {
		return err
	}
	store, err := c.openStore()
	if err != nil {
		return err
	}
	defer store.Close()
	audit := scorer.Audit("cli:"+iv.By, scorer.AuditInterview, iv.Candidate, iv.Entered,
		map[string]string{"candidate": iv.Candidate, "position": iv.Position, "points": fmt.Sprint(iv.Points)})
	if err := store.PutInterview(context.Background(), iv, audit); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "interview recorded: %s for %s: %d points\n", iv.Candidate, iv.Position, iv.Points)
	return nil
}

func runReceipt(args []string, stdout io.Writer) error {
	c := newCommand("receipt", stdout).withStore()
	codes, err := c.parse(args, 1)
	if err != nil {
		return err
	}
	code, err := sheet.NormalizeReceiptCode(codes[0])
	if err != nil {
		return err
	}
	store, err := c.openStore()
	if err != nil {
		return err
	}
	defer store.Close()
	sn, err := scorer.NewBoard(store, nil).Current(context.Background())
	if err != nil {
		return err
	}
	appeals := sn.LookUp(code)
	if len(appeals) == 0 {
		return fmt.Errorf("no sheet with receipt code %s has arrived; a sheet its terminal has not delivered yet is still on the terminal or on a drive it was exported to (scorer import)", code)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	for _, appeal := range appeals { // almost always one; codes can rarely collide
		if err := enc.Encode(appeal); err != nil {
			return err
		}
	}
	return nil
}
