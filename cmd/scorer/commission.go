package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"ispit/scorer"
)

// The commands that prepare the commission's work: accounts, the questions and rosters after
// the exam, key amendments and the grading rules.

// passwordInput is where --password-stdin reads from; tests replace it.
var passwordInput io.Reader = os.Stdin

func runUserAdd(args []string, stdout io.Writer) error {
	c := newCommand("user add", stdout).withStore()
	name := c.String("name", "", "the sign-in name (lower-case letters, digits, '.', '_', '-')")
	fullName := c.String("full-name", "", "the member's name as the record of results prints it (default: the sign-in name)")
	roles := c.String("role", "", "secretary, grader or interviewer; several separated by commas")
	fromStdin := c.Bool("password-stdin", false, "read the password from standard input instead of making a one-time password")
	if _, err := c.parse(args, 0, "name", "role"); err != nil {
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
	store, err := c.openStore()
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
	c := newCommand("user reset", stdout).withStore()
	name := c.String("name", "", "the sign-in name")
	fromStdin := c.Bool("password-stdin", false, "read the password from standard input instead of making a one-time password")
	if _, err := c.parse(args, 0, "name"); err != nil {
		return err
	}
	password, oneTime, err := choosePassword(*fromStdin)
	if err != nil {
		return err
	}
	store, err := c.openStore()
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

func runBankLoad(args []string, stdout io.Writer) error {
	c := newCommand("bank load", stdout).withStore().withTrust(trustUsage)
	code := c.String("start-code", "", "the bank's start code, released at the start of the exam")
	trust, file, err := c.readSigned(args, "start-code")
	if err != nil {
		return err
	}
	store, err := c.openStore()
	if err != nil {
		return err
	}
	defer store.Close()
	content, err := scorer.LoadBank(context.Background(), store, file, trust, *code, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "questions of bank %s loaded: %d items, %d images\n", content.BankID, len(content.Items), len(content.Images))
	return nil
}

func runRosterLoad(args []string, stdout io.Writer) error {
	c := newCommand("roster load", stdout).withStore().withTrust(trustUsage)
	trust, file, err := c.readSigned(args)
	if err != nil {
		return err
	}
	store, err := c.openStore()
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
	c := newCommand("answers amend", stdout).withStore().withTrust(trustUsage)
	by := c.String("by", "operator", "who loads it, for the audit log")
	trust, file, err := c.readSigned(args)
	if err != nil {
		return err
	}
	store, err := c.openStore()
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
	c := newCommand("rules", stdout).withStore()
	graders := c.Int("graders", 0, "graders each written task needs (1 to 5)")
	disagreement := c.Int("disagreement", -1, "the largest difference between graders' points that stands without the secretary; 0: no limit")
	list := c.Int("list", 0, "places on the list of successful candidates")
	if _, err := c.parse(args, 0); err != nil {
		return err
	}
	store, err := c.openStore()
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
