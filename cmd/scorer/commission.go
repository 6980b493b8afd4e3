package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"ispit/internal/cli"
	"ispit/internal/sshsig"
	"ispit/scorer"
)

// The commands that prepare the commission's work: accounts, the questions and rosters after
// the exam, key amendments and the grading rules.

// passwordInput is where --password-stdin reads from; tests replace it.
var passwordInput io.Reader = os.Stdin

func runUserAdd(args []string, stdout io.Writer) error {
	fs := newFlags("user add", stdout)
	data := fs.String("data", "", "the scorer's data folder")
	db := dbFlag(fs)
	name := fs.String("name", "", "the sign-in name (lower-case letters, digits, '.', '_', '-')")
	fullName := fs.String("full-name", "", "the member's name as the record of results prints it (default: the sign-in name)")
	roles := fs.String("role", "", "secretary, grader or interviewer; several separated by commas")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input instead of making a one-time password")
	if _, err := fs.Parse(args, 0); err != nil {
		return err
	}
	if err := cli.Required(map[string]string{"data": *data, "name": *name, "role": *roles}); err != nil {
		return err
	}
	n, err := scorer.NormalizeUserName(*name)
	if err != nil {
		return err
	}
	rs, err := scorer.ParseRoles(*roles)
	if err != nil {
		return err
	}
	full := strings.TrimSpace(*fullName)
	if full == "" {
		full = n
	}
	if err := scorer.CheckFullName(full); err != nil {
		return err
	}
	password, oneTime, err := choosePassword(*fromStdin)
	if err != nil {
		return err
	}
	store, err := openStore(*data, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	now := time.Now()
	u := scorer.User{Name: n, FullName: full, Roles: rs, Password: scorer.HashPassword(password), MustChange: oneTime, Created: now}
	audit := scorer.Audit("cli:operator", scorer.AuditUserAdded, n, now, map[string]string{"roles": *roles, "full_name": full})
	if err := store.AddUser(context.Background(), u, audit); err != nil {
		return err
	}
	return printPassword(stdout, n, password, oneTime)
}

func runUserReset(args []string, stdout io.Writer) error {
	fs := newFlags("user reset", stdout)
	data := fs.String("data", "", "the scorer's data folder")
	db := dbFlag(fs)
	name := fs.String("name", "", "the sign-in name")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input instead of making a one-time password")
	if _, err := fs.Parse(args, 0); err != nil {
		return err
	}
	if err := cli.Required(map[string]string{"data": *data, "name": *name}); err != nil {
		return err
	}
	password, oneTime, err := choosePassword(*fromStdin)
	if err != nil {
		return err
	}
	store, err := openStore(*data, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	ctx := context.Background()
	u, err := store.User(ctx, strings.ToLower(strings.TrimSpace(*name)))
	if err != nil {
		return err
	}
	u.Password, u.MustChange, u.Disabled = scorer.HashPassword(password), oneTime, false
	now := time.Now()
	if err := store.UpdateUser(ctx, *u, scorer.Audit("cli:operator", scorer.AuditPasswordReset, u.Name, now, nil)); err != nil {
		return err
	}
	if err := store.SetSignInState(ctx, u.Name, scorer.SignInState{}); err != nil {
		return err
	}
	return printPassword(stdout, u.Name, password, oneTime)
}

// choosePassword reads a password from standard input, or makes a one-time password.
func choosePassword(fromStdin bool) (password string, oneTime bool, err error) {
	if !fromStdin {
		return scorer.OneTimePassword(), true, nil
	}
	line, err := bufio.NewReader(io.LimitReader(passwordInput, 4*scorer.MaxPasswordLength+2)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", false, err
	}
	password = strings.TrimRight(line, "\r\n")
	if err := scorer.CheckPassword(password); err != nil {
		return "", false, err
	}
	return password, false, nil
}

func printPassword(w io.Writer, name, password string, oneTime bool) error {
	if !oneTime {
		_, err := fmt.Fprintf(w, "user %s: password set\n", name)
		return err
	}
	_, err := fmt.Fprintf(w, "user %s: one-time password %s (they choose their own at the first sign-in)\n", name, password)
	return err
}

// readTrust reads a trusted authority keys file (a public key or an allowed_signers file).
func readTrust(path string) (*sshsig.Trust, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	trust, err := sshsig.ParseTrust(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return trust, nil
}

// trustedFlags are the flags of the commands that load one of the authority's files: the data
// folder, the database and the trusted keys.
type trustedFlags struct{ data, db, trust *string }

func newTrustedFlags(fs *cli.FlagSet) trustedFlags {
	return trustedFlags{
		data:  fs.String("data", "", "the scorer's data folder"),
		db:    dbFlag(fs),
		trust: fs.String("trust", "", "trusted authority keys: a public key file or an allowed_signers file"),
	}
}

// open parses the command line (one file and the flags; the flags named in more are required
// too), reads the trusted keys and the file, and opens the store; the caller closes it.
func (f trustedFlags) open(fs *cli.FlagSet, args []string, more map[string]*string) (scorer.Store, *sshsig.Trust, []byte, error) {
	files, err := fs.Parse(args, 1)
	if err != nil {
		return nil, nil, nil, err
	}
	required := map[string]string{"data": *f.data, "trust": *f.trust}
	for name, value := range more {
		required[name] = *value
	}
	if err := cli.Required(required); err != nil {
		return nil, nil, nil, err
	}
	trust, err := readTrust(*f.trust)
	if err != nil {
		return nil, nil, nil, err
	}
	file, err := os.ReadFile(files[0])
	if err != nil {
		return nil, nil, nil, err
	}
	store, err := openStore(*f.data, *f.db)
	return store, trust, file, err
}

func runBankLoad(args []string, stdout io.Writer) error {
	fs := newFlags("bank load", stdout)
	flags := newTrustedFlags(fs)
	code := fs.String("start-code", "", "the bank's start code, released at the start of the exam")
	store, trust, file, err := flags.open(fs, args, map[string]*string{"start-code": code})
	if err != nil {
		return err
	}
	defer store.Close()
	c, err := scorer.LoadBank(context.Background(), store, file, trust, *code, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "questions of bank %s loaded: %d items, %d images\n", c.BankID, len(c.Items), len(c.Images))
	return nil
}

func runRosterLoad(args []string, stdout io.Writer) error {
	fs := newFlags("roster load", stdout)
	flags := newTrustedFlags(fs)
	store, trust, file, err := flags.open(fs, args, nil)
	if err != nil {
		return err
	}
	defer store.Close()
	r, err := scorer.LoadRoster(context.Background(), store, file, trust, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "roster loaded: %d candidates\n", len(r.Candidates))
	return nil
}

func runAnswersAmend(args []string, stdout io.Writer) error {
	fs := newFlags("answers amend", stdout)
	flags := newTrustedFlags(fs)
	by := fs.String("by", "operator", "who loads it, for the audit log")
	store, trust, file, err := flags.open(fs, args, nil)
	if err != nil {
		return err
	}
	defer store.Close()
	sa, loaded, err := scorer.ApplyAmendment(context.Background(), scorer.NewBoard(store, nil), file, trust, "cli:"+strings.TrimSpace(*by), time.Now())
	if err != nil {
		return err
	}
	if !loaded {
		fmt.Fprintf(stdout, "amendment %d of bank %s was loaded before; nothing changed\n", sa.Sequence, sa.BankID)
		return nil
	}
	fmt.Fprintf(stdout, "amendment %d of bank %s loaded: %d sheets scored again, %d candidates changed\n", sa.Sequence, sa.BankID, sa.Effect.Sheets, len(sa.Effect.Changes))
	for _, c := range sa.Effect.Changes {
		fmt.Fprintf(stdout, "  %s %s (%s): %d → %d points, %s → %s, place %s → %s\n", c.Code, c.Name, c.Position,
			c.Before.Total, c.After.Total, c.Before.Outcome, c.After.Outcome, placeOrDash(c.Before.Place), placeOrDash(c.After.Place))
	}
	return nil
}

func placeOrDash(p int) string {
	if p == 0 {
		return "–"
	}
	return fmt.Sprint(p)
}

func runRules(args []string, stdout io.Writer) error {
	fs := newFlags("rules", stdout)
	data := fs.String("data", "", "the scorer's data folder")
	db := dbFlag(fs)
	graders := fs.Int("graders", 0, "graders each written task needs (1 to 5)")
	disagreement := fs.Int("disagreement", -1, "the largest difference between graders' points that stands without the secretary; 0: no limit")
	list := fs.Int("list", 0, "places on the list of successful candidates")
	if _, err := fs.Parse(args, 0); err != nil {
		return err
	}
	if err := cli.Required(map[string]string{"data": *data}); err != nil {
		return err
	}
	store, err := openStore(*data, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	ctx := context.Background()
	r, err := store.Rules(ctx)
	if err != nil {
		return err
	}
	r = r.WithDefaults()
	changed := false
	if *graders != 0 {
		r.MinGraders, changed = *graders, true
	}
	if *disagreement >= 0 {
		r.Disagreement, changed = *disagreement, true
	}
	if *list != 0 {
		r.ListSize, changed = *list, true
	}
	if changed {
		if err := r.Validate(); err != nil {
			return err
		}
		detail := map[string]string{"graders": fmt.Sprint(r.MinGraders), "disagreement": fmt.Sprint(r.Disagreement), "list": fmt.Sprint(r.ListSize)}
		if err := store.PutRules(ctx, r, scorer.Audit("cli:operator", scorer.AuditRules, "rules", time.Now(), detail)); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "graders per task %d, disagreement limit %d (0: none), places on the list %d\n", r.MinGraders, r.Disagreement, r.ListSize)
	return nil
}
