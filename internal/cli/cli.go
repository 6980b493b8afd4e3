// Package cli is the small command-line frame of bankctl and scorer: subcommands with their own
// flags and --help, flags before or after file arguments, and failures reported as one line
// with exit status 1 (2 for a mistake in how the command was called).
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Command is one subcommand.
type Command struct {
	Summary string
	Usage   string // the arguments after the command name
	Run     func(args []string, stdout io.Writer) error
}

// Program is a command made of subcommands.
type Program struct {
	Name     string
	About    string
	Commands map[string]Command
}

// ErrUsage marks errors in how the command was called; they exit with status 2.
var ErrUsage = errors.New("usage")

// ExitError ends a command with exit status Code, Err saying why in one line: for an outcome
// that is neither success (0) nor plain failure (1), such as an import that skipped questions.
type ExitError struct {
	Code int
	Err  error
}

// Error is the reason, Err's message.
func (e *ExitError) Error() string { return e.Err.Error() }

// Unwrap returns Err.
func (e *ExitError) Unwrap() error { return e.Err }

// Run runs the subcommand args[0] and returns the exit status.
func (p *Program) Run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		p.printUsage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	name := args[0]
	cmd, ok := p.Commands[name]
	// A two-word command ("terminal add") is looked up by both words.
	if !ok && len(args) > 1 {
		if c, ok2 := p.Commands[name+" "+args[1]]; ok2 {
			name, cmd, ok, args = name+" "+args[1], c, true, args[1:]
		}
	}
	if !ok {
		fmt.Fprintf(stderr, "%s: unknown command %q (see %s --help)\n", p.Name, name, p.Name)
		return 2
	}
	err := cmd.Run(args[1:], stdout)
	var exit *ExitError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, ErrUsage):
		fmt.Fprintf(stderr, "%s %s: %v\nusage: %s %s %s\n", p.Name, name, err, p.Name, name, cmd.Usage)
		return 2
	default:
		fmt.Fprintf(stderr, "%s %s: %s\n", p.Name, name, strings.Join(strings.Fields(err.Error()), " "))
		if errors.As(err, &exit) {
			return exit.Code
		}
		return 1
	}
}

func (p *Program) printUsage(w io.Writer) {
	fmt.Fprintln(w, p.About)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	names := make([]string, 0, len(p.Commands))
	for name := range p.Commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-16s %s\n", name, p.Commands[name].Summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Run '%s COMMAND --help' for a command's flags.\n", p.Name)
}

// FlagSet is a subcommand's flags; Parse prints its help to the command's output on --help.
type FlagSet struct {
	*flag.FlagSet
	program, name string
	cmd           Command
	out           io.Writer
}

// Flags returns the flag set of a subcommand of p.
func (p *Program) Flags(name string, out io.Writer) *FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parse errors are reported in one line by Run
	fs.Usage = func() {}
	return &FlagSet{FlagSet: fs, program: p.Name, name: name, cmd: p.Commands[name], out: out}
}

// Parse parses flags that may stand before or after the positional arguments and returns the
// positional ones; it insists on exactly want of them (any number when want < 0).
func (fs *FlagSet) Parse(args []string, want int) ([]string, error) {
	var positional []string
	for {
		if err := fs.FlagSet.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.printHelp()
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", ErrUsage, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
	if want >= 0 && len(positional) != want {
		return nil, fmt.Errorf("%w: expected %d argument(s), got %d", ErrUsage, want, len(positional))
	}
	return positional, nil
}

func (fs *FlagSet) printHelp() {
	fmt.Fprintf(fs.out, "usage: %s %s %s\n  %s\n\nflags:\n", fs.program, fs.name, fs.cmd.Usage, fs.cmd.Summary)
	fs.SetOutput(fs.out)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// Require reports the named flags that were left at their defaults (empty, for text; 0 for a
// number whose default is 0) as missing, in one usage error. A flag that is not defined is a
// mistake in the program, and panics.
func (fs *FlagSet) Require(names ...string) error {
	values := map[string]string{}
	for _, name := range names {
		f := fs.Lookup(name)
		if f == nil {
			panic("cli: Require of an undefined flag --" + name)
		}
		values[name] = f.Value.String()
		if values[name] == f.DefValue {
			values[name] = ""
		}
	}
	return Required(values)
}

// Required reports missing flags (given by name → value) as a usage error.
func Required(values map[string]string) error {
	var missing []string
	for name, v := range values {
		if v == "" {
			missing = append(missing, "--"+name)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return fmt.Errorf("%w: missing %s", ErrUsage, strings.Join(missing, ", "))
	}
	return nil
}
