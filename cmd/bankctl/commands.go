package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"ispit/bank"
	"ispit/bank/source"
	"ispit/internal/cli"
	"ispit/internal/sshsig"
)

func runKeygen(args []string, stdout io.Writer) error {
	c := newCommand("keygen", stdout)
	out := c.String("out", "", "folder to write authority.key (mode 0600) and authority.pub into")
	comment := c.String("comment", "ispit authority", "comment stored with the key")
	if _, err := c.parse(args, 0, "out"); err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	priv, pub := filepath.Join(*out, "authority.key"), filepath.Join(*out, "authority.pub")
	if err := sshsig.WriteKeyPair(priv, pub, *comment); err != nil {
		return err
	}
	signer, err := sshsig.LoadSigner(priv, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s and %s\n", priv, pub)
	fmt.Fprintf(stdout, "key fingerprint %s\n", sshsig.Fingerprint(signer.PublicKey()))
	return nil
}

func loadSigner(path string) (ssh.Signer, error) {
	return sshsig.LoadSigner(path, sshsig.TerminalPassphrase("passphrase for "+path+": "))
}

func runBuild(args []string, stdout io.Writer) error {
	c := newCommand("build", stdout)
	key := c.String("key", "", "authority private key (OpenSSH), or its .pub with the key in ssh-agent")
	src := c.String("source", "", "the source's root file, bank.yaml (see docs/bank-source.md)")
	out := c.String("out", "", "the bank file to write")
	answers := c.String("answers", "", "the answer key file to write, for the scorer only")
	startCode := c.String("start-code", "", "use this start code instead of a new random one")
	workFactor := c.Int("work-factor", bank.DefaultWorkFactor, "scrypt work factor (log2 N) of the start code")
	if _, err := c.parse(args, 0, "key", "source", "out", "answers"); err != nil {
		return err
	}
	if filepath.Clean(*out) == filepath.Clean(*answers) {
		return fmt.Errorf("%w: --out and --answers must be different files", cli.ErrUsage)
	}
	def, err := source.Load(*src)
	if err != nil {
		return err
	}
	signer, err := loadSigner(*key)
	if err != nil {
		return err
	}
	built, err := bank.Build(def, bank.BuildOptions{Signer: signer, StartCode: *startCode, WorkFactor: *workFactor})
	if err != nil {
		return err
	}
	if err := writeFile(*out, built.Bank, 0o644); err != nil {
		return err
	}
	if err := writeFile(*answers, built.Answers, 0o600); err != nil {
		return err
	}
	m := built.Manifest
	fmt.Fprintf(stdout, "bank %s: %d items, %d images, %d parts, valid %s to %s\n", m.BankID, m.Payload.Items, m.Payload.Images, len(m.Parts), m.ValidFrom.Format(time.DateOnly), m.ValidUntil.Format(time.DateOnly))
	fmt.Fprintf(stdout, "wrote %s (%d bytes) and %s (answer key: give it to the scorer only)\n", *out, len(built.Bank), *answers)
	fmt.Fprintln(stdout, "start code (release it to proctors at exam time):")
	fmt.Fprintln(stdout, built.StartCode)
	return nil
}

// writeFile writes data to path through a temporary file, so that a failure leaves no half file.
func writeFile(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func runVerify(args []string, stdout io.Writer) error {
	now, trust, data, err := newCommand("verify", stdout).withTrust().readSigned(args)
	if err != nil {
		return err
	}
	switch kind := bank.Kind(data); kind {
	case bank.KindRoster:
		r, err := bank.ReadRoster(data, trust, now)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "OK roster: %d candidates, signed by %s\n", len(r.Candidates), signerName(r.Signer))
	case bank.KindAnswerKey:
		k, principal, err := bank.ReadAnswerKey(data, trust, now)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "OK answer key for bank %s (%s): %d items, signed by %s\n", k.BankID, k.Format, len(k.Items), signerName(principal))
	case bank.KindAmendment:
		a, principal, err := bank.ReadAmendment(data, trust, now)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "OK amendment %d of bank %s: %s, signed by %s\n", a.Sequence, a.BankID, describeChanges(a.Changes), signerName(principal))
	default:
		v, err := bank.Verify(data, trust, now)
		if err != nil {
			return err
		}
		m := v.Manifest
		fmt.Fprintf(stdout, "OK bank %s: %d parts, %d items, signed by %s (%s), valid until %s\n", m.BankID, len(m.Parts), m.Payload.Items, signerName(v.Signer), m.Authority, m.ValidUntil.Format(time.RFC3339))
	}
	return nil
}

func signerName(principal string) string {
	if principal == "" {
		return "a trusted key"
	}
	return principal
}

func runInspect(args []string, stdout io.Writer) error {
	c := newCommand("inspect", stdout)
	files, err := c.parse(args, 1)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		return err
	}
	if bank.Kind(data) == bank.KindAmendment {
		a, err := bank.DecodeAmendment(data)
		if err != nil {
			return err
		}
		doc, err := json.MarshalIndent(a, "", "  ")
		if err != nil {
			return err
		}
		_, err = stdout.Write(append(doc, '\n'))
		return err
	}
	manifest, err := bank.ReadManifest(data)
	if err != nil {
		return err
	}
	_, err = stdout.Write(manifest)
	return err
}

func runOpen(args []string, stdout io.Writer) error {
	c := newCommand("open", stdout).withTrust()
	code := c.String("start-code", "", "the start code; asked for on the terminal when not given")
	now, trust, data, err := c.readSigned(args)
	if err != nil {
		return err
	}
	v, err := bank.Verify(data, trust, now)
	if err != nil {
		return err
	}
	if *code == "" {
		typed, err := sshsig.TerminalPassphrase("start code: ")()
		if err != nil {
			return fmt.Errorf("reading the start code: %w", err)
		}
		*code = string(typed)
	}
	b, err := v.Open(*code)
	if errors.Is(err, bank.ErrWrongStartCode) {
		return errors.New("wrong start code: this is not the code the bank was sealed with")
	}
	if err != nil {
		return err
	}
	m := b.Manifest
	fmt.Fprintf(stdout, "opened bank %s: %d items, %d images, %d parts\n", m.BankID, len(b.Items), m.Payload.Images, len(m.Parts))
	for _, p := range m.Parts {
		how := "listed"
		if p.Draw != nil {
			how = fmt.Sprintf("drawn from %d", len(p.Draw.Pool))
		}
		fmt.Fprintf(stdout, "  part %s (%s): %d items %s, %s, pass %d of %d, positions %s\n", p.ID, p.Kind, p.Count, how, p.Duration(), p.PassMark, p.MaxPoints, strings.Join(p.Positions, " "))
	}
	return nil
}

func runRoster(args []string, stdout io.Writer) error {
	c := newCommand("roster", stdout)
	key := c.String("key", "", "authority private key (OpenSSH), or its .pub with the key in ssh-agent")
	out := c.String("out", "", "the signed roster file to write")
	files, err := c.parse(args, 1, "key", "out")
	if err != nil {
		return err
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		return err
	}
	roster, err := bank.ParseRosterCSV(data)
	if err != nil {
		return fmt.Errorf("%s: %v", files[0], err)
	}
	signer, err := loadSigner(*key)
	if err != nil {
		return err
	}
	signed, err := bank.SignRoster(data, signer)
	if err != nil {
		return err
	}
	if err := writeFile(*out, signed, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "signed roster of %d candidates: %s\n", len(roster.Candidates), *out)
	return nil
}
