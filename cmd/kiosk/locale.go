package main

// Fyne reads the locale in its package initialisation, before main runs, and logs a parse
// error for a C locale with a code set or modifier ("C.UTF-8", the default of Debian
// containers and minimal installs): its locale library understands only "C" and "POSIX".
// The kiosk's own choice for both is the same (English), so a C constructor, which runs
// before the Go runtime reads the environment, rewrites such a value to plain "C" or "POSIX"
// in the variable that decides the messages' locale: the first of LC_ALL, LC_MESSAGES and
// LANG that is set.

/*
#include <stdlib.h>
#include <string.h>

static void ispit_quiet_c_locale(void) __attribute__((constructor));

static void ispit_quiet_c_locale(void) {
	static const char *names[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const char *value = getenv(names[i]);
		if (value == NULL || value[0] == '\0') {
			continue;
		}
		size_t base = strcspn(value, ".@");
		if (value[base] != '\0' &&
		    ((base == 1 && strncmp(value, "C", 1) == 0) || (base == 5 && strncmp(value, "POSIX", 5) == 0))) {
			setenv(names[i], base == 1 ? "C" : "POSIX", 1);
		}
		return;
	}
}
*/
import "C"
