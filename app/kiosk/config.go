// Package kiosk is what the kiosk's screens stand on, without a window: its configuration,
// the terminal key and secret, enrolment with the scorer, the library of verified banks and the
// roster, starting and resuming sessions, the outbox, and keeping a damaged exam database
// aside. The Fyne screens are thin views on it; the exam rules themselves live in the bank,
// exam and sheet packages.
package kiosk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
)

// Config is the kiosk's configuration file (JSON). Relative paths are relative to the file.
type Config struct {
	// DataDir holds the exam database, the terminal key and secret, the banks and the roster.
	DataDir string `json:"data_dir"`
	// TerminalID names this PC to the scorer and on every sheet.
	TerminalID string `json:"terminal_id"`
	// Trust is the authority's public key file or allowed_signers file.
	Trust string `json:"trust"`
	// Language is the interface language before a candidate chooses; empty means the
	// system locale.
	Language string `json:"language,omitempty"`
}

var terminalIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// LoadConfig reads and checks a configuration file.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c Config
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	base := filepath.Dir(path)
	for _, p := range []*string{&c.DataDir, &c.Trust} {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(base, *p)
		}
	}
	if err := c.check(); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return &c, nil
}

func (c *Config) check() error {
	switch {
	case c.DataDir == "":
		return fmt.Errorf("data_dir is required")
	case !terminalIDPattern.MatchString(c.TerminalID):
		return fmt.Errorf("terminal_id %q is not allowed (letters, digits, '.', '_', '-')", c.TerminalID)
	case c.Trust == "":
		return fmt.Errorf("trust (the authority's public key) is required")
	}
	return nil
}
