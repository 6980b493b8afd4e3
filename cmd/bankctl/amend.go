package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"ispit/bank"
	"ispit/internal/cli"
	"ispit/internal/sshsig"
)

const amendUsage = "--key KEY --answers FILE.answers --sequence N --reason TEXT [--void ITEM]... [--accept ITEM=OPTION]... --out FILE.amend"

// changeFlag collects --void and --accept into one list, in the order they are given.
type changeFlag struct {
	changes *[]bank.AmendmentChange
	action  bank.AmendAction
}

func (f changeFlag) String() string { return "" }

func (f changeFlag) Set(v string) error {
	c := bank.AmendmentChange{Item: strings.TrimSpace(v), Action: f.action}
	if f.action == bank.AmendAccept {
		item, option, ok := strings.Cut(v, "=")
		c.Item, c.Option = strings.TrimSpace(item), strings.TrimSpace(option)
		if !ok || c.Item == "" || c.Option == "" {
			return errors.New("write it as ITEM=OPTION, like pub-cs-07=c")
		}
	}
	if c.Item == "" {
		return errors.New("name the item")
	}
	*f.changes = append(*f.changes, c)
	return nil
}

func runAmend(args []string, stdout io.Writer) error {
	c := newCommand("amend", stdout)
	key := c.String("key", "", "authority private key (OpenSSH), or its .pub with the key in ssh-agent: the key that signed the answer key")
	answers := c.String("answers", "", "the answer key the amendment corrects")
	sequence := c.Int("sequence", 0, "the amendment's number for this bank: 1 for the first, then 2, 3 …")
	reason := c.String("reason", "", "why, in one line of at most 500 characters (e.g. the reference of the authority's decision)")
	var changes []bank.AmendmentChange
	c.Var(changeFlag{&changes, bank.AmendVoid}, "void", "void ITEM: everyone who had it gets its points (may be repeated)")
	c.Var(changeFlag{&changes, bank.AmendAccept}, "accept", "accept OPTION of ITEM as correct besides the key's, as ITEM=OPTION (may be repeated)")
	out := c.String("out", "", "the amendment file to write; an existing file is never replaced")
	if _, err := c.parse(args, 0, "key", "answers", "sequence", "reason", "out"); err != nil {
		return err
	}
	if len(changes) == 0 {
		return fmt.Errorf("%w: give at least one --void ITEM or --accept ITEM=OPTION", cli.ErrUsage)
	}
	if _, err := os.Lstat(*out); err == nil {
		return fmt.Errorf("%s already exists; an amendment is never overwritten (issue the next one with the next --sequence)", *out)
	}
	data, err := os.ReadFile(*answers)
	if err != nil {
		return err
	}
	signer, err := loadSigner(*key)
	if err != nil {
		return err
	}
	k, err := readOwnAnswerKey(data, *answers, signer)
	if err != nil {
		return err
	}
	a := &bank.Amendment{
		Format:         bank.AmendmentFormat,
		BankID:         k.BankID,
		ManifestSHA256: k.ManifestSHA256,
		Sequence:       *sequence,
		IssuedAt:       time.Now().UTC().Truncate(time.Second),
		Reason:         strings.TrimSpace(*reason),
		Changes:        changes,
	}
	if err := a.Check(k); err != nil {
		return err
	}
	signed, err := bank.SignAmendment(a, signer)
	if err != nil {
		return err
	}
	if err := writeNewFile(*out, signed, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "amendment %d of bank %s (%s): %s; wrote %s\n", a.Sequence, a.BankID, a.Reason, describeChanges(a.Changes), *out)
	return nil
}

// readOwnAnswerKey reads an answer key whose signature must be by signer itself: an amendment
// is issued by the authority that issued the key.
func readOwnAnswerKey(data []byte, name string, signer ssh.Signer) (*bank.AnswerKey, error) {
	own, err := sshsig.ParseTrust(ssh.MarshalAuthorizedKey(signer.PublicKey()))
	if err != nil {
		return nil, err
	}
	k, _, err := bank.ReadAnswerKey(data, own, time.Now())
	if errors.Is(err, bank.ErrUntrusted) {
		return nil, fmt.Errorf("%s was not signed by the key %s; sign an amendment with the key that signed its answer key", name, sshsig.Fingerprint(signer.PublicKey()))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return k, nil
}

// describeChanges lists an amendment's changes in a few words each.
func describeChanges(changes []bank.AmendmentChange) string {
	words := make([]string, len(changes))
	for i, c := range changes {
		words[i] = "void " + c.Item
		if c.Action == bank.AmendAccept {
			words[i] = fmt.Sprintf("accept option %s of %s", c.Option, c.Item)
		}
	}
	return strings.Join(words, ", ")
}

// writeNewFile writes data to a file that must not exist yet; a failure leaves no file behind.
func writeNewFile(path string, data []byte, perm os.FileMode) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists; an amendment is never overwritten (issue the next one with the next --sequence)", path)
	}
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(path)
		}
	}()
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
