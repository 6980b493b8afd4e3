package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"ispit/bank"
	"ispit/bank/importer"
	"ispit/internal/cli"
)

// importUsage is the import command's arguments.
const importUsage = "--format gift|aiken|moodlexml|qti|auto --lang LANG [--topic T] IN --out SRC  |  --merge SRC1 SRC2… --out SRC"

// statusSkipped is the exit status of an import that left questions out.
const statusSkipped = 3

func runImport(args []string, stdout io.Writer) error {
	c := newCommand("import", stdout)
	format := c.String("format", "auto", "the input's format: gift, aiken, moodlexml, qti (an item or a zip package), or auto to guess it from the content")
	lang := c.String("lang", "", "the language of the questions: "+strings.Join(bank.Languages, ", "))
	topic := c.String("topic", "imported", "the topic of questions the input files under no category")
	out := c.String("out", "", "the folder to write the bank source into (bank.yaml, items.yaml, images/)")
	id := c.String("id", "", "the bank id (default: made of the name of the --out folder)")
	ids := c.String("ids", "source", "item ids: source (GIFT title, Moodle ID number or name, QTI identifier) or position (q-001, q-002, …)")
	merge := c.Bool("merge", false, "merge bank sources of the same questions in different languages, written by earlier imports: the arguments are their folders")
	force := c.Bool("force", false, "overwrite a bank source already in --out")
	files, err := c.parse(args, -1, "out")
	if err != nil {
		return err
	}
	if *id == "" {
		abs, err := filepath.Abs(*out)
		if err != nil {
			return err
		}
		*id = importer.BankID(filepath.Base(abs))
	}
	if !importer.ValidBankID(*id) {
		return fmt.Errorf("%w: --id %q is not a bank id (lower-case letters, digits, '.' and '-')", cli.ErrUsage, *id)
	}
	if *merge {
		var wrong []string
		c.Visit(func(f *flag.Flag) {
			if f.Name == "lang" || f.Name == "format" || f.Name == "topic" || f.Name == "ids" {
				wrong = append(wrong, "--"+f.Name)
			}
		})
		if len(wrong) > 0 {
			return fmt.Errorf("%w: --merge merges sources already imported; %s belong to an import", cli.ErrUsage, strings.Join(wrong, ", "))
		}
		if len(files) < 2 {
			return fmt.Errorf("%w: --merge needs at least two sources, got %d", cli.ErrUsage, len(files))
		}
		return runMerge(files, *out, *id, *force, stdout)
	}
	if len(files) != 1 {
		return fmt.Errorf("%w: expected 1 input file, got %d", cli.ErrUsage, len(files))
	}
	if err := c.Require("lang"); err != nil {
		return err
	}
	language, ok := importer.Language(*lang)
	if !ok {
		return fmt.Errorf("%w: --lang %q is not one of %s", cli.ErrUsage, *lang, strings.Join(bank.Languages, ", "))
	}
	f := importer.Format(strings.ToLower(*format))
	if !slices.Contains(importer.Formats, f) {
		return fmt.Errorf("%w: --format %q is not gift, aiken, moodlexml, qti or auto", cli.ErrUsage, *format)
	}
	if !importer.ValidTopic(*topic) {
		return fmt.Errorf("%w: --topic %q is not a topic (lower-case letters, digits and '-')", cli.ErrUsage, *topic)
	}
	if *ids != "source" && *ids != "position" {
		return fmt.Errorf("%w: --ids is %q; use source or position", cli.ErrUsage, *ids)
	}

	in := files[0]
	data, err := readInput(in)
	if err != nil {
		return err
	}
	res, err := importer.Parse(f, filepath.Base(in), data, os.DirFS(filepath.Dir(in)), language)
	if err != nil {
		return fmt.Errorf("%s: %v", in, err)
	}
	src, notes, err := importer.NewSource(res, importer.Options{Lang: language, Topic: *topic, ID: *id, Input: filepath.Base(in), Positional: *ids == "position"})
	if err != nil {
		return err
	}
	total := len(res.Questions) + len(res.Skipped)
	fmt.Fprintf(stdout, "read %s (%s, %s): %d of %d questions imported, %d skipped\n", in, res.Format, language, len(res.Questions), total, len(res.Skipped))
	printSkipped(stdout, res.Skipped)
	printList(stdout, "notes", notes)
	if len(res.Questions) == 0 {
		return fmt.Errorf("%s: no question could be imported (%d skipped, listed on standard output); nothing written", in, len(res.Skipped))
	}
	if err := writeSource(stdout, src, *out, *force); err != nil {
		return err
	}
	if len(res.Skipped) > 0 {
		return &cli.ExitError{Code: statusSkipped, Err: fmt.Errorf("%d of %d questions of %s were skipped (listed on standard output); the others are in %s", len(res.Skipped), total, in, *out)}
	}
	return nil
}

// readInput reads an input file, refusing one larger than any format allows.
func readInput(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, fmt.Errorf("%s is a folder; give the file to import (a QTI package as its zip file)", name)
	}
	const limit = importer.MaxPackage
	if info.Size() > limit {
		return nil, fmt.Errorf("%s is %d bytes; at most %d are read", name, info.Size(), limit)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if len(data) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", name, limit)
	}
	return data, nil
}

func runMerge(dirs []string, out, id string, force bool, stdout io.Writer) error {
	var srcs []*importer.Source
	for _, d := range dirs {
		s, err := importer.ReadSource(d)
		if err != nil {
			return fmt.Errorf("%s: %v", d, err)
		}
		srcs = append(srcs, s)
	}
	merged, report, err := importer.Merge(srcs, dirs, time.Now())
	if err != nil {
		return err
	}
	merged.ID = id
	fmt.Fprintf(stdout, "merged %s: %d items in %s, %d incomplete\n", strings.Join(dirs, ", "), len(merged.Items), strings.Join(merged.Languages, ", "), len(merged.Incomplete))
	for _, l := range merged.Languages {
		if ids := report.Missing[l]; len(ids) > 0 {
			fmt.Fprintf(stdout, "missing in %s (%d): %s\n", l, len(ids), strings.Join(ids, ", "))
		}
	}
	printList(stdout, "conflicts", report.Conflicts)
	printList(stdout, "notes", report.Notes)
	if len(merged.Items) == 0 {
		return errors.New("no item is complete in every language; nothing written")
	}
	if err := writeSource(stdout, merged, out, force); err != nil {
		return err
	}
	if report.Incomplete() {
		return &cli.ExitError{Code: statusSkipped, Err: fmt.Errorf("%d items lack a language or disagree between sources (listed on standard output); they are in %s", len(merged.Incomplete), filepath.Join(out, importer.IncompleteFile))}
	}
	return nil
}

func writeSource(stdout io.Writer, src *importer.Source, out string, force bool) error {
	parts, notes := src.Parts()
	written, err := src.Write(out, force)
	if err != nil {
		return err
	}
	var summaries []string
	for _, p := range parts {
		summaries = append(summaries, importer.PartSummary(p))
	}
	printList(stdout, "parts in bank.yaml", summaries)
	printList(stdout, "to do", notes)
	images := 0
	var others []string
	for _, w := range written {
		if filepath.Base(filepath.Dir(w)) == importer.ImagesDir {
			images++
		} else {
			others = append(others, w)
		}
	}
	fmt.Fprintf(stdout, "wrote %s", strings.Join(others, ", "))
	if images > 0 {
		fmt.Fprintf(stdout, " and %d image(s) in %s", images, filepath.Join(out, importer.ImagesDir))
	}
	fmt.Fprintln(stdout)
	return nil
}

func printSkipped(w io.Writer, skipped []importer.Skipped) {
	if len(skipped) == 0 {
		return
	}
	fmt.Fprintf(w, "skipped (%d):\n", len(skipped))
	for _, s := range skipped {
		fmt.Fprintf(w, "  %s %q: %s\n", s.Where, s.Name, s.Reason)
	}
}

func printList(w io.Writer, title string, lines []string) {
	if len(lines) == 0 {
		return
	}
	fmt.Fprintf(w, "%s:\n", title)
	for _, l := range lines {
		fmt.Fprintf(w, "  %s\n", l)
	}
}
