// Command demoprep prepares a kiosk data folder for `make demo`, as an administrator would on
// first start: it sets the demo PINs, loads the demo bank and roster, and enrols the terminal
// with an enrolment file. It prints the path of the terminal's public key, for `scorer
// terminal add`. It refuses to touch a data folder whose PINs are already set.
//
// With -sit CODE and -start-code, it also starts a session of the public exam and lets that
// candidate begin and answer the first three questions, then stops as a PC that dies in the
// middle of an exam would: the kiosk then opens on the resume screen (the package test, and a
// demo of what happens after a crash).
//
//	go run ./scripts/demoprep -config kiosk.json -bank demo.bank -roster roster.signed -enrolment enrolment.json
package main

import (
	"flag"
	"fmt"
	"os"

	"ispit/app/kiosk"
	"ispit/exam"
)

// The demo PINs, listed in README.md. Real terminals set their own on first start.
const (
	demoProctorPIN = "246810"
	demoAdminPIN   = "135790"
)

func main() {
	config := flag.String("config", "", "the kiosk's configuration file")
	bankFile := flag.String("bank", "", "the signed bank to load")
	rosterFile := flag.String("roster", "", "the signed roster to load")
	enrolment := flag.String("enrolment", "", "the scorer's enrolment file")
	sitCode := flag.String("sit", "", "a candidate code: start a session and an attempt of the public exam, left running")
	startCode := flag.String("start-code", "", "the bank's start code, with -sit")
	flag.Parse()
	if err := prepare(*config, *bankFile, *rosterFile, *enrolment, *sitCode, *startCode); err != nil {
		fmt.Fprintln(os.Stderr, "demoprep:", err)
		os.Exit(1)
	}
}

func prepare(config, bankFile, rosterFile, enrolment, sitCode, startCode string) error {
	cfg, err := kiosk.LoadConfig(config)
	if err != nil {
		return err
	}
	k, err := kiosk.Open(*cfg)
	if err != nil {
		return err
	}
	defer k.Close()
	if has, err := k.Engine.HasPIN(exam.RoleAdmin); err != nil || has {
		if err == nil {
			err = fmt.Errorf("%s is already set up; remove it to prepare the demo again", cfg.DataDir)
		}
		return err
	}
	for role, pin := range map[exam.Role]string{exam.RoleProctor: demoProctorPIN, exam.RoleAdmin: demoAdminPIN} {
		if err := k.Engine.SetPIN(role, pin); err != nil {
			return err
		}
	}
	entry, err := k.LoadBank(bankFile)
	if err != nil {
		return fmt.Errorf("%s: %w", bankFile, err)
	}
	if _, err := k.LoadRoster(rosterFile); err != nil {
		return fmt.Errorf("%s: %w", rosterFile, err)
	}
	data, err := os.ReadFile(enrolment)
	if err != nil {
		return err
	}
	if err := k.Enrol(data); err != nil {
		return fmt.Errorf("%s: %w", enrolment, err)
	}
	if sitCode != "" {
		if err := leaveRunning(k, entry.Manifest.BankID, sitCode, startCode); err != nil {
			return err
		}
	}
	fmt.Println(k.PublicKeyFile())
	return nil
}

// leaveRunning starts a session of the public exam and an attempt by one candidate, who answers
// three questions; the caller then closes the kiosk as a crash would leave it.
func leaveRunning(k *kiosk.Kiosk, bankID, code, startCode string) error {
	s, err := k.StartSession(bankID, "public", "demo proctor", startCode)
	if err != nil {
		return err
	}
	a, err := s.Admit(code, "public")
	if err != nil {
		return err
	}
	if err := a.Begin("bs"); err != nil {
		return err
	}
	for i := range 3 {
		v, err := a.Item(i)
		if err != nil {
			return err
		}
		if err := a.Choose(v.Item.ID, v.Options[0].ID); err != nil {
			return err
		}
	}
	return nil
}
