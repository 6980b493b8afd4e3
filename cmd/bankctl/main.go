// Command bankctl builds, signs, seals, verifies and inspects Ispit question banks, signs
// candidate rosters and signs answer key amendments. See docs/bank-format.md and docs/bank-source.md.
package main

import (
	"io"
	"os"

	"ispit/internal/cli"
)

// program is filled in by init: the commands' help refers back to it.
var program *cli.Program

func init() {
	program = &cli.Program{
		Name:  "bankctl",
		About: "bankctl builds, signs, seals and checks Ispit question banks.",
		Commands: map[string]cli.Command{
			"keygen":  {Summary: "make an authority signing key pair", Usage: "--out DIR", Run: runKeygen},
			"build":   {Summary: "build a signed, sealed bank and its answer key from a source", Usage: "--key KEY --source SRC/bank.yaml --out FILE.bank --answers FILE.answers", Run: runBuild},
			"verify":  {Summary: "check the signature of a bank, roster, answer key or amendment", Usage: "--trust PUB FILE", Run: runVerify},
			"inspect": {Summary: "print a bank's manifest or an amendment as JSON (no secrets)", Usage: "FILE.bank|FILE.amend", Run: runInspect},
			"open":    {Summary: "decrypt a bank with its start code and check every item", Usage: "--trust PUB [--start-code CODE] FILE.bank", Run: runOpen},
			"roster":  {Summary: "check and sign a candidate roster (CSV)", Usage: "--key KEY roster.csv --out roster.signed", Run: runRoster},
			"import":  {Summary: "make a bank source of GIFT, Aiken, Moodle XML or QTI questions", Usage: importUsage, Run: runImport},
			"amend":   {Summary: "sign a correction of an answer key: void an item or accept another option", Usage: amendUsage, Run: runAmend},
		},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	return program.Run(args, stdout, stderr)
}
