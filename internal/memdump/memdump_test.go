package memdump

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWrite checks that a dump has the runtime's memory classes, the process's resident set
// and a heap profile.
func TestWrite(t *testing.T) {
	base := filepath.Join(t.TempDir(), "dump")
	if err := Write(base); err != nil {
		t.Fatal(err)
	}
	summary, err := os.ReadFile(base + ".txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"go/memory/classes/heap/objects:bytes ", "go/gc/gogc:percent ", "status VmRSS: ", "status VmHWM: ", "rollup Anonymous: "} {
		if !strings.Contains(string(summary), "\n"+want) && !strings.HasPrefix(string(summary), want) {
			t.Errorf("the summary has no %q line:\n%s", want, summary)
		}
	}
	if info, err := os.Stat(base + ".pprof"); err != nil || info.Size() == 0 {
		t.Errorf("no heap profile: %v", err)
	}
}
