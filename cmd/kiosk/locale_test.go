package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestQuietCLocale runs this test binary again with each environment: the constructor in
// locale.go has rewritten it before the Go runtime started, and Fyne's initialisation (linked
// in, as in the kiosk) has logged nothing.
func TestQuietCLocale(t *testing.T) {
	if os.Getenv("ISPIT_LOCALE_CHILD") != "" {
		for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
			if v, ok := os.LookupEnv(name); ok {
				fmt.Printf("%s=%s\n", name, v)
			}
		}
		return
	}
	for _, tc := range []struct {
		env, want string
		fyneLogs  bool // a locale Fyne cannot parse, which the kiosk leaves as it is
	}{
		{env: "LANG=C.UTF-8", want: "LANG=C"},
		{env: "LANG=POSIX.utf8@euro", want: "LANG=POSIX"},
		{env: "LANG=C@euro", want: "LANG=C"},
		{env: "LANG=C", want: "LANG=C"},
		{env: "LANG=sr_RS.UTF-8", want: "LANG=sr_RS.UTF-8"},
		{env: "LC_ALL=C.UTF-8 LANG=C.UTF-8", want: "LC_ALL=C LANG=C.UTF-8"},
		// Only the variable that decides counts: LC_ALL here, so LANG stays as it is.
		{env: "LC_ALL=bs_BA.UTF-8 LANG=C.UTF-8", want: "LC_ALL=bs_BA.UTF-8 LANG=C.UTF-8"},
		{env: "LC_MESSAGES=C.UTF-8 LANG=sq_XK.UTF-8", want: "LC_MESSAGES=C LANG=sq_XK.UTF-8"},
		{env: "LANG=Cyrl.UTF-8", want: "LANG=Cyrl.UTF-8", fyneLogs: true},
		{env: "LANG=CC.UTF-8", want: "LANG=CC.UTF-8", fyneLogs: true},
		{env: "", want: ""},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestQuietCLocale$")
		cmd.Env = append([]string{"ISPIT_LOCALE_CHILD=1", "PATH=" + os.Getenv("PATH")}, strings.Fields(tc.env)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%q: %v\n%s", tc.env, err, out)
		}
		var got []string
		for line := range strings.Lines(string(out)) {
			line = strings.TrimSpace(line)
			switch {
			case strings.Contains(line, "Fyne error") && !tc.fyneLogs:
				t.Errorf("%q: logged %q", tc.env, line)
			case strings.HasPrefix(line, "LC_") || strings.HasPrefix(line, "LANG="):
				got = append(got, line)
			}
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("%q: %q, want %q", tc.env, g, tc.want)
		}
	}
}
