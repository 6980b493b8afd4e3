// Package assets carries the files built into the programs: the demo bank source, the demo
// roster and the demo keys.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed demo
var demo embed.FS

// DemoBankSource is the source of the demo bank; its root file is "bank.yaml".
func DemoBankSource() fs.FS {
	sub, err := fs.Sub(demo, "demo/bank")
	if err != nil {
		panic(err) // the folder is embedded above
	}
	return sub
}

// DemoRosterCSV is the demo roster, unsigned.
func DemoRosterCSV() []byte {
	data, err := demo.ReadFile("demo/roster.csv")
	if err != nil {
		panic(err)
	}
	return data
}
