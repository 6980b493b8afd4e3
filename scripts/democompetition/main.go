// Command democompetition gives `make demo`'s commission something to work on: on a terminal
// of its own, the demo candidates the kiosk demo leaves free sit their exams (through the real
// attempt engine, each sheet sealed to the scorer), the sheets are received by the scorer as
// uploads are, and the demo graders grade some of the written tasks, one of them far apart, so
// that the console shows work done, work to do and a disagreement for the secretary. The
// scorer must not be serving yet.
//
//	go run ./scripts/democompetition -data build/demo/scorer -bank demo.bank -answers demo.answers \
//	    -roster roster.signed -trust demo-authority.pub -start-code CODE -leave DEMO-0001,DEMO-0002
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"ispit/internal/competition"
	"ispit/internal/sshsig"
	"ispit/scorer"
)

func main() {
	data := flag.String("data", "", "the scorer's data folder")
	bankFile := flag.String("bank", "", "the signed demo bank")
	answers := flag.String("answers", "", "the demo bank's answer key")
	roster := flag.String("roster", "", "the signed demo roster")
	trustFile := flag.String("trust", "", "the demo authority's public key")
	startCode := flag.String("start-code", "", "the demo bank's start code")
	leave := flag.String("leave", "", "candidates who do not sit here, comma-separated (the kiosk demo's)")
	flag.Parse()
	if err := run(*data, *bankFile, *answers, *roster, *trustFile, *startCode, strings.Split(*leave, ",")); err != nil {
		fmt.Fprintln(os.Stderr, "democompetition:", err)
		os.Exit(1)
	}
}

func run(data, bankFile, answersFile, rosterFile, trustFile, startCode string, leave []string) error {
	ctx := context.Background()
	files := &competition.Files{StartCode: startCode}
	for path, into := range map[string]*[]byte{bankFile: &files.Bank, answersFile: &files.Answers, rosterFile: &files.Roster} {
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		*into = b
	}
	pub, err := os.ReadFile(trustFile)
	if err != nil {
		return err
	}
	trust, err := sshsig.ParseTrust(pub)
	if err != nil {
		return err
	}
	keys, err := scorer.LoadKeys(filepath.Join(data, "keys"))
	if err != nil {
		return err
	}
	store, err := scorer.OpenSQLite(filepath.Join(data, "scorer.db"))
	if err != nil {
		return err
	}
	defer store.Close()

	// The terminal the demo candidates sat at, enrolled as an administrator would.
	priv, _, err := sshsig.GenerateKey("DEMO-SIT")
	if err != nil {
		return err
	}
	termKey, err := ssh.ParsePrivateKey(priv)
	if err != nil {
		return err
	}
	line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(termKey.PublicKey())))
	if err := store.AddTerminal(ctx, scorer.Terminal{ID: "DEMO-SIT", PublicKey: line, Added: time.Now()}); err != nil {
		return err
	}
	var plan []competition.Sitting
	for _, s := range competition.Plan {
		if !slices.Contains(leave, s.Code) {
			plan = append(plan, s)
		}
	}
	dir, err := os.MkdirTemp("", "ispit-demo-terminal-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	sheets, err := competition.Sit(files, trust, keys.SheetRecipient, competition.Terminal{ID: "DEMO-SIT", Key: termKey, Dir: dir}, plan)
	if err != nil {
		return err
	}
	svc := scorer.NewService(store, keys, scorer.Config{})
	for _, s := range sheets {
		if _, _, err := svc.Ingest(ctx, s.Sealed); err != nil {
			svc.Close()
			return err
		}
	}
	svc.Close()

	// Ana and Boris grade the first written scripts in the order graders see them; on the
	// very first task they are 20 points apart, which the secretary must resolve.
	sn, err := scorer.NewBoard(store, nil).Current(ctx)
	if err != nil {
		return err
	}
	tasks := sn.Tasks("")
	graded := 0
	for i, t := range tasks {
		if i >= len(tasks)/2 {
			break
		}
		bs, _ := sn.SheetByScript(t.Script)
		for g, grader := range []string{"ana", "boris"} {
			points := 38 - 3*(i%3) + g*2
			if i == 0 && g == 1 {
				points -= 20
			}
			grade := scorer.Grade{SheetID: bs.Record.SheetID, ItemID: t.ItemID, Grader: grader, Points: points, At: time.Now()}
			audit := scorer.Audit(grader, scorer.AuditGrade, "script "+t.Script+" task "+t.ItemID, grade.At,
				map[string]string{"script": t.Script, "item": t.ItemID, "sheet": grade.SheetID, "points": fmt.Sprint(points)})
			if err := store.PutGrade(ctx, grade, audit); err != nil {
				return err
			}
		}
		graded++
	}
	fmt.Printf("%d sheets sat on terminal DEMO-SIT and received; %d of %d written tasks graded by ana and boris\n", len(sheets), graded, len(tasks))
	return nil
}
