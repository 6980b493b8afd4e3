#!/usr/bin/env bash
# Every check of the project: formatting, vet, staticcheck and the tests with the race detector.
set -euo pipefail
cd "$(dirname "$0")/.."

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.tools/*'))
if [ -n "$unformatted" ]; then
  echo "gofmt: these files need formatting:" >&2
  echo "$unformatted" >&2
  exit 1
fi
go vet ./...
.tools/bin/staticcheck ./...
go test -race -count=1 -timeout 30m ./...
scripts/smoke.sh
