package main

import "strings"

// quietCLocale rewrites a C locale with a code set or modifier ("C.UTF-8", the default of
// Debian containers and minimal installs) to plain "C" in the variable that decides the
// messages' locale. Fyne's locale library understands only "C" and "POSIX", and logs a parse
// error for "C.UTF-8" each time it is asked; the kiosk's own choice (English) is the same for
// both.
func quietCLocale(getenv func(string) string, setenv func(string, string) error) {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		value := getenv(name)
		if value == "" {
			continue
		}
		base, _, _ := strings.Cut(value, "@")
		base, _, _ = strings.Cut(base, ".")
		if value != base && (base == "C" || base == "POSIX") {
			setenv(name, base)
		}
		return
	}
}
