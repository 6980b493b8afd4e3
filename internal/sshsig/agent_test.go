package sshsig

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// startAgent starts a real ssh-agent in the foreground on a socket in a
// fresh directory and stops it when the test ends.
func startAgent(t *testing.T) string {
	t.Helper()
	needTool(t, "ssh-agent")
	dir, err := os.MkdirTemp("", "sshsig-agent-") // short path: socket paths are limited to ~100 bytes
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	sock := filepath.Join(dir, "agent.sock")
	cmd := exec.Command("ssh-agent", "-D", "-a", sock)
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting ssh-agent: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	for deadline := time.Now().Add(10 * time.Second); ; {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("ssh-agent did not create its socket")
		}
		time.Sleep(20 * time.Millisecond)
	}
	return sock
}

func TestAgentSigning(t *testing.T) {
	needTool(t, "ssh-keygen")
	needTool(t, "ssh-add")
	sock := startAgent(t)
	dir := t.TempDir()
	keyPath := sshKeygenKey(t, dir, "token", "")
	otherPath := sshKeygenKey(t, dir, "other", "")
	mustRun(t, nil, []string{"SSH_AUTH_SOCK=" + sock}, "ssh-add", keyPath)
	t.Setenv("SSH_AUTH_SOCK", sock)

	signer, err := LoadSigner(keyPath+".pub", nil)
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte("signed through ssh-agent")
	sig, err := Sign(signer, "ispit-bank", msg)
	if err != nil {
		t.Fatal(err)
	}
	key, err := Verify(sig, msg, "ispit-bank")
	if err != nil {
		t.Fatal(err)
	}
	pubData, err := os.ReadFile(keyPath + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(key.Marshal(), signer.PublicKey().Marshal()) {
		t.Fatal("Verify returned another key")
	}
	if ok, out := sshKeygenVerify(t, dir, "a@b "+string(pubData), "a@b", "ispit-bank", sig, msg); !ok {
		t.Fatalf("ssh-keygen refused the agent-made signature: %s", out)
	}
	// Signing again works (a new agent connection per signature).
	if _, err := Sign(signer, "ispit-bank", msg); err != nil {
		t.Fatal(err)
	}

	// A public key whose private key is not in the agent.
	_, err = LoadSigner(otherPath+".pub", nil)
	wantErr(t, err, ErrAgentKeyNotFound)

	// No agent at all.
	t.Setenv("SSH_AUTH_SOCK", "")
	_, err = LoadSigner(keyPath+".pub", nil)
	wantErr(t, err, ErrNoAgent)
	t.Setenv("SSH_AUTH_SOCK", filepath.Join(dir, "no-such-socket"))
	_, err = LoadSigner(keyPath+".pub", nil)
	wantErr(t, err, ErrNoAgent)
}
