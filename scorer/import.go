package scorer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"ispit/sheet"
)

// SheetFileExt is the extension of a sealed sheet exported to removable media.
const SheetFileExt = ".sheet"

// ImportSummary says what an import did.
type ImportSummary struct {
	New, Duplicates int
	Refused         []RefusedFile
}

// RefusedFile is a file an import did not take, and why.
type RefusedFile struct {
	File   string
	Reason string
}

// ImportFolder ingests every *.sheet file of a folder (sheets a proctor exported while the
// network was down) with the same checks and idempotency as uploads.
func ImportFolder(ctx context.Context, svc *Service, dir string) (*ImportSummary, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), SheetFileExt) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	summary := &ImportSummary{}
	for _, name := range names {
		path := filepath.Join(dir, name)
		info, err := os.Stat(path)
		if err != nil {
			summary.Refused = append(summary.Refused, RefusedFile{name, err.Error()})
			continue
		}
		if info.Size() > sheet.MaxSealedSize {
			summary.Refused = append(summary.Refused, RefusedFile{name, fmt.Sprintf("larger than %d bytes", sheet.MaxSealedSize)})
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			summary.Refused = append(summary.Refused, RefusedFile{name, err.Error()})
			continue
		}
		_, outcome, err := svc.Ingest(ctx, data)
		var ie *IngestError
		switch {
		case errors.As(err, &ie):
			summary.Refused = append(summary.Refused, RefusedFile{name, ie.Error()})
		case err != nil:
			return summary, err
		case outcome == Stored:
			summary.New++
		default:
			summary.Duplicates++
		}
	}
	return summary, nil
}
