// Command scorer is Ispit's central service: it receives sealed answer sheets from the
// kiosks, verifies and stores them, and produces results, rankings and appeal look-ups. See
// docs/scorer-api.md.
package main

import (
	"os"

	"ispit/internal/cli"
)

var program *cli.Program

func init() {
	program = &cli.Program{
		Name:  "scorer",
		About: "scorer receives, verifies and scores Ispit answer sheets.",
		Commands: map[string]cli.Command{
			"keygen":        {Summary: "make the scorer's sheet key, receipt key and TLS certificate", Usage: "--data DIR [--host NAME]...", Run: runKeygen},
			"serve":         {Summary: "serve the HTTP API and the commission's console", Usage: "--data DIR [--db URL] --addr HOST:PORT [--console-addr HOST:PORT] [--trust AUTHORITY.pub] [--max-conns N] [--insecure-http]", Run: runServe},
			"enrolment":     {Summary: "write the enrolment file an administrator gives each kiosk", Usage: "--data DIR --url URL --out FILE", Run: runEnrolment},
			"terminal add":  {Summary: "enrol a terminal's public key", Usage: "--data DIR [--db URL] --id ID --key TERMINAL.pub", Run: runTerminalAdd},
			"answers load":  {Summary: "load a bank's signed answer key", Usage: "--data DIR [--db URL] --trust AUTHORITY.pub FILE.answers", Run: runAnswersLoad},
			"import":        {Summary: "import sheets exported to a folder (USB stick)", Usage: "--data DIR [--db URL] FOLDER", Run: runImport},
			"results":       {Summary: "print results or rankings as CSV or JSON", Usage: "--data DIR [--db URL] [--format csv|json] [--ranking] [--out FILE]", Run: runResults},
			"grade":         {Summary: "enter a grader's points for a written task", Usage: "--data DIR [--db URL] --sheet ID --item ID --grader NAME --points N", Run: runGrade},
			"interview":     {Summary: "enter a candidate's interview points", Usage: "--data DIR [--db URL] --candidate CODE --position CODE --points N --by NAME", Run: runInterview},
			"receipt":       {Summary: "appeal look-up: the sheet behind a receipt code and how it scored", Usage: "--data DIR [--db URL] CODE", Run: runReceipt},
			"user add":      {Summary: "add a commission member's console account; prints a one-time password", Usage: "--data DIR [--db URL] --name NAME --role secretary|grader|interviewer[,…] [--full-name TEXT] [--password-stdin]", Run: runUserAdd},
			"user reset":    {Summary: "give an account a new one-time password and unlock it", Usage: "--data DIR [--db URL] --name NAME [--password-stdin]", Run: runUserReset},
			"bank load":     {Summary: "load a bank's questions with its start code, for grading and appeals", Usage: "--data DIR [--db URL] --trust AUTHORITY.pub --start-code CODE FILE.bank", Run: runBankLoad},
			"roster load":   {Summary: "load a signed roster, so that results list who did not come", Usage: "--data DIR [--db URL] --trust AUTHORITY.pub FILE", Run: runRosterLoad},
			"answers amend": {Summary: "load the authority's signed key amendment and score again", Usage: "--data DIR [--db URL] --trust AUTHORITY.pub [--by NAME] FILE.amend", Run: runAnswersAmend},
			"rules":         {Summary: "show or set the grading rules: graders per task, disagreement limit, list size", Usage: "--data DIR [--db URL] [--graders N] [--disagreement N] [--list N]", Run: runRules},
			"backup":        {Summary: "copy the SQLite database while the scorer serves (PostgreSQL: pg_dump)", Usage: "--data DIR [--db URL] --out FILE", Run: runBackup},
		},
	}
}

func main() {
	os.Exit(program.Run(os.Args[1:], os.Stdout, os.Stderr))
}
