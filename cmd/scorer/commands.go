package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
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

// The layout of a scorer's data folder: keys/, and scorer.db unless --db names a PostgreSQL
// database.
func keysDir(data string) string { return filepath.Join(data, "keys") }

// dbFlag adds --db, the database of a command that opens the store.
func dbFlag(fs *cli.FlagSet) *string {
	return fs.String("db", "", "the PostgreSQL database, postgres://USER@HOST:PORT/NAME (default: SQLite, "+scorer.SQLiteFile+" in the data folder)")
}

// openStore opens the store of the data folder, or the PostgreSQL database db names.
func openStore(data, db string) (scorer.Store, error) {
	if data == "" {
		return nil, fmt.Errorf("%w: missing --data", cli.ErrUsage)
	}
	store, err := scorer.OpenStore(context.Background(), db, data)
	if errors.Is(err, scorer.ErrDatabaseURL) {
		return nil, fmt.Errorf("%w: --db: %v", cli.ErrUsage, err)
	}
	return store, err
}

func runKeygen(args []string, stdout io.Writer) error {
	fs := newFlags("keygen", stdout)
	data := fs.String("data", "", "the scorer's data folder")
	var hosts multiFlag
	fs.Var(&hosts, "host", "a host name or address the TLS certificate is for (repeatable; default 127.0.0.1 and localhost)")
	if _, err := fs.Parse(args, 0); err != nil {
		return err
	}
	if err := cli.Required(map[string]string{"data": *data}); err != nil {
		return err
	}
	if len(hosts) == 0 {
		hosts = multiFlag{"127.0.0.1", "localhost", "::1"}
	}
	if err := scorer.GenerateKeys(keysDir(*data), hosts); err != nil {
		return err
	}
	keys, err := scorer.LoadKeys(keysDir(*data))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote the scorer's keys to %s\n", keysDir(*data))
	fmt.Fprintf(stdout, "receipt key %s\n", sshsig.Fingerprint(keys.Receipt.PublicKey()))
	fmt.Fprintf(stdout, "TLS certificate SHA-256 %s (for %s)\n", keys.TLSCertSHA256, strings.Join(hosts, ", "))
	return nil
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func runServe(args []string, stdout io.Writer) error {
	fs := newFlags("serve", stdout)
	data := fs.String("data", "", "the scorer's data folder")
	db := dbFlag(fs)
	addr := fs.String("addr", "127.0.0.1:8443", "address to listen on")
	consoleAddr := fs.String("console-addr", "", "address of the commission's console (its own listener; none when empty)")
	trustPath := fs.String("trust", "", "trusted authority keys, for key amendments loaded in the console (optional)")
	insecure := fs.Bool("insecure-http", false, "serve plain HTTP (only on loopback addresses, for tests and the demo)")
	if _, err := fs.Parse(args, 0); err != nil {
		return err
	}
	if err := cli.Required(map[string]string{"data": *data}); err != nil {
		return err
	}
	if *insecure && (!isLoopback(*addr) || (*consoleAddr != "" && !isLoopback(*consoleAddr))) {
		return fmt.Errorf("plain HTTP is only allowed on loopback addresses")
	}
	keys, err := scorer.LoadKeys(keysDir(*data))
	if err != nil {
		return err
	}
	var trust *sshsig.Trust
	if *trustPath != "" {
		if trust, err = readTrust(*trustPath); err != nil {
			return err
		}
	}
	store, err := openStore(*data, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	tuneGC(os.Getenv)
	svc := scorer.NewService(store, keys, scorer.Config{})
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
	fs := newFlags("enrolment", stdout)
	data := fs.String("data", "", "the scorer's data folder")
	url := fs.String("url", "", "the scorer's address as kiosks reach it, e.g. https://10.0.0.5:8443")
	out := fs.String("out", "", "the enrolment file to write")
	if _, err := fs.Parse(args, 0); err != nil {
		return err
	}
	if err := cli.Required(map[string]string{"data": *data, "url": *url, "out": *out}); err != nil {
		return err
	}
	keys, err := scorer.LoadKeys(keysDir(*data))
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
	fs := newFlags("terminal add", stdout)
	data := fs.String("data", "", "the scorer's data folder")
	db := dbFlag(fs)
	id := fs.String("id", "", "the terminal's id, as its kiosk is configured")
	keyFile := fs.String("key", "", "the terminal's public key file (ssh-ed25519)")
	if _, err := fs.Parse(args, 0); err != nil {
		return err
	}
	if err := cli.Required(map[string]string{"data": *data, "id": *id, "key": *keyFile}); err != nil {
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
	store, err := openStore(*data, *db)
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
	fs := newFlags("answers load", stdout)
	data := fs.String("data", "", "the scorer's data folder")
	db := dbFlag(fs)
	trustPath := fs.String("trust", "", "trusted authority keys: a public key file or an allowed_signers file")
	files, err := fs.Parse(args, 1)
	if err != nil {
		return err
	}
	if err := cli.Required(map[string]string{"data": *data, "trust": *trustPath}); err != nil {
		return err
	}
	trustData, err := os.ReadFile(*trustPath)
	if err != nil {
		return err
	}
	trust, err := sshsig.ParseTrust(trustData)
	if err != nil {
		return fmt.Errorf("%s: %v", *trustPath, err)
	}
	file, err := os.ReadFile(files[0])
	if err != nil {
		return err
	}
	key, _, err := bank.ReadAnswerKey(file, trust, time.Now())
	if err != nil {
		return err
	}
	store, err := openStore(*data, *db)
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
	fs := newFlags("import", stdout)
	data := fs.String("data", "", "the scorer's data folder")
	db := dbFlag(fs)
	dirs, err := fs.Parse(args, 1)
	if err != nil {
		return err
	}
	if err := cli.Required(map[string]string{"data": *data}); err != nil {
		return err
	}
	keys, err := scorer.LoadKeys(keysDir(*data))
	if err != nil {
		return err
	}
	store, err := openStore(*data, *db)
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
	fs := newFlags("results", stdout)
	data := fs.String("data", "", "the scorer's data folder")
	db := dbFlag(fs)
	format := fs.String("format", "csv", "csv or json")
	ranking := fs.Bool("ranking", false, "the successful candidates of each position instead of every result")
	out := fs.String("out", "", "write to this file instead of standard output")
	if _, err := fs.Parse(args, 0); err != nil {
		return err
	}
	if err := cli.Required(map[string]string{"data": *data}); err != nil {
		return err
	}
	if *format != "csv" && *format != "json" {
		return fmt.Errorf("%w: --format is csv or json", cli.ErrUsage)
	}
	store, err := openStore(*data, *db)
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
	fs := newFlags("grade", stdout)
	data := fs.String("data", "", "the scorer's data folder")
	db := dbFlag(fs)
	sheetID := fs.String("sheet", "", "the sheet id")
	item := fs.String("item", "", "the written task's item id")
	grader := fs.String("grader", "", "the grader's name")
	points := fs.Int("points", -1, "the points given")
	comment := fs.String("comment", "", "the grader's comment (optional)")
	if _, err := fs.Parse(args, 0); err != nil {
		return err
	}
	if err := cli.Required(map[string]string{"data": *data, "sheet": *sheetID, "item": *item, "grader": *grader}); err != nil {
		return err
	}
	store, err := openStore(*data, *db)
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
	fs := newFlags("interview", stdout)
	data := fs.String("data", "", "the scorer's data folder")
	db := dbFlag(fs)
	candidate := fs.String("candidate", "", "the candidate code")
	position := fs.String("position", "", "the position code")
	points := fs.Int("points", -1, "the interview points (0 to 30)")
	by := fs.String("by", "", "who enters the points")
	if _, err := fs.Parse(args, 0); err != nil {
		return err
	}
	if err := cli.Required(map[string]string{"data": *data, "candidate": *candidate, "position": *position, "by": *by}); err != nil {
		return err
	}
	iv := scorer.Interview{Candidate: strings.ToUpper(strings.TrimSpace(*candidate)), Position: strings.TrimSpace(*position), Points: *points, Entered: time.Now(), By: strings.TrimSpace(*by)}
	if err := iv.Validate(); err != nil {
		return err
	}
	store, err := openStore(*data, *db)
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
	fs := newFlags("receipt", stdout)
	data := fs.String("data", "", "the scorer's data folder")
	db := dbFlag(fs)
	codes, err := fs.Parse(args, 1)
	if err != nil {
		return err
	}
	if err := cli.Required(map[string]string{"data": *data}); err != nil {
		return err
	}
	code, err := sheet.NormalizeReceiptCode(codes[0])
	if err != nil {
		return err
	}
	store, err := openStore(*data, *db)
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
		return fmt.Errorf("no sheet has receipt code %s", code)
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
