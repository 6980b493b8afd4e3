package main

import (
	"maps"
	"testing"
)

func TestQuietCLocale(t *testing.T) {
	for _, tc := range []struct {
		env, want map[string]string
	}{
		{map[string]string{"LANG": "C.UTF-8"}, map[string]string{"LANG": "C"}},
		{map[string]string{"LANG": "POSIX.utf8@euro"}, map[string]string{"LANG": "POSIX"}},
		{map[string]string{"LANG": "C"}, map[string]string{"LANG": "C"}},
		{map[string]string{"LANG": "sr_RS.UTF-8"}, map[string]string{"LANG": "sr_RS.UTF-8"}},
		{map[string]string{"LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}, map[string]string{"LC_ALL": "C", "LANG": "C.UTF-8"}},
		// Only the variable that decides counts: LC_ALL here, so LANG stays as it is.
		{map[string]string{"LC_ALL": "bs_BA.UTF-8", "LANG": "C.UTF-8"}, map[string]string{"LC_ALL": "bs_BA.UTF-8", "LANG": "C.UTF-8"}},
		{map[string]string{"LC_MESSAGES": "C.UTF-8", "LANG": "sq_XK.UTF-8"}, map[string]string{"LC_MESSAGES": "C", "LANG": "sq_XK.UTF-8"}},
		{map[string]string{"LANG": "Cyrl.UTF-8"}, map[string]string{"LANG": "Cyrl.UTF-8"}},
		{map[string]string{}, map[string]string{}},
	} {
		env := maps.Clone(tc.env)
		quietCLocale(func(k string) string { return env[k] }, func(k, v string) error { env[k] = v; return nil })
		if !maps.Equal(env, tc.want) {
			t.Errorf("%v: %v, want %v", tc.env, env, tc.want)
		}
	}
}
