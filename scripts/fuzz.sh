#!/usr/bin/env bash
# Runs every fuzz target of the project for the given time each (default 1m).
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${1:-1m}
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //'); do
    echo "== $pkg $target"
    go test -run "^$" -fuzz "^$target\$" -fuzztime "$fuzztime" -fuzzminimizetime 200x "$pkg"
  done
done
