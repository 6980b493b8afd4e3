// Command bankctl builds, signs, seals, verifies and inspects Ispit question banks, and signs
// candidate rosters. See docs/bank-format.md and docs/bank-source.md.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// command is one bankctl subcommand.
type command struct {
	summary string
	usage   string // the arguments after the command name
	run     func(args []string, stdout io.Writer) error
}

// commands is filled in by init: the commands' help refers back to it.
var commands map[string]command

func init() {
	commands = map[string]command{
		"keygen":  {"make an authority signing key pair", "--out DIR", runKeygen},
		"build":   {"build a signed, sealed bank and its answer key from a source", "--key KEY --source SRC/bank.yaml --out FILE.bank --answers FILE.answers", runBuild},
		"verify":  {"check the signature of a bank, roster or answer key", "--trust PUB FILE", runVerify},
		"inspect": {"print a bank's manifest as JSON (no secrets)", "FILE.bank", runInspect},
		"open":    {"decrypt a bank with its start code and check every item", "--trust PUB [--start-code CODE] FILE.bank", runOpen},
		"roster":  {"check and sign a candidate roster (CSV)", "--key KEY roster.csv --out roster.signed", runRoster},
	}
}

// errUsage marks errors in how the command was called; they exit with status 2.
var errUsage = errors.New("usage")

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "bankctl: unknown command %q (see bankctl --help)\n", args[0])
		return 2
	}
	err := cmd.run(args[1:], stdout)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "bankctl %s: %v\nusage: bankctl %s %s\n", args[0], err, args[0], cmd.usage)
		return 2
	default:
		fmt.Fprintf(stderr, "bankctl %s: %s\n", args[0], oneLine(err.Error()))
		return 1
	}
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "bankctl builds, signs, seals and checks Ispit question banks.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-8s %s\n", name, commands[name].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'bankctl COMMAND --help' for a command's flags.")
}

// oneLine keeps an error message on one line, as the promise of a one-line reason requires.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// newFlags returns a flag set for a subcommand; parseArgs prints its help to out on --help.
func newFlags(name string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parse errors are reported in one line by run
	fs.Usage = func() {}
	helpOutput[fs] = out
	return fs
}

// helpOutput is where each flag set prints its help.
var helpOutput = map[*flag.FlagSet]io.Writer{}

func printHelp(fs *flag.FlagSet) {
	out := helpOutput[fs]
	cmd := commands[fs.Name()]
	fmt.Fprintf(out, "usage: bankctl %s %s\n  %s\n\nflags:\n", fs.Name(), cmd.usage, cmd.summary)
	fs.SetOutput(out)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// parseArgs parses flags that may stand before or after the positional arguments and returns
// the positional ones; it insists on exactly want of them.
func parseArgs(fs *flag.FlagSet, args []string, want int) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				printHelp(fs)
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
	if len(positional) != want {
		return nil, fmt.Errorf("%w: expected %d file argument(s), got %d", errUsage, want, len(positional))
	}
	return positional, nil
}

// required reports a missing flag as a usage error.
func required(values map[string]string) error {
	var missing []string
	for name, v := range values {
		if v == "" {
			missing = append(missing, "--"+name)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return fmt.Errorf("%w: missing %s", errUsage, strings.Join(missing, ", "))
	}
	return nil
}
