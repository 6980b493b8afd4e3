// Package sshsig signs and verifies messages in OpenSSH's SSHSIG format, the format of
// `ssh-keygen -Y sign` and `ssh-keygen -Y verify`, and reads the keys and trust lists
// (allowed_signers files, public key files) those signatures are checked against.
package sshsig
