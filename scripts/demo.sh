#!/usr/bin/env bash
# The demo, until the kiosk exists: builds bankctl, builds the demo bank with the demo authority
# key, verifies and opens it, and signs the demo roster. Everything lands in build/demo.
set -euo pipefail
cd "$(dirname "$0")/.."

out=build/demo
mkdir -p build/bin "$out"
go build -o build/bin/bankctl ./cmd/bankctl
bankctl=build/bin/bankctl

# Git does not keep file modes: give the demo key the 0600 a private key needs.
install -m 0600 assets/demo/keys/demo-authority.key "$out/demo-authority.key"
install -m 0644 assets/demo/keys/demo-authority.pub "$out/demo-authority.pub"
code=$(cat assets/demo/start-code.txt)

echo "== bankctl build"
$bankctl build --key "$out/demo-authority.key" --source assets/demo/bank/bank.yaml \
  --out "$out/demo.bank" --answers "$out/demo.answers" --start-code "$code"
echo "== bankctl verify"
$bankctl verify --trust "$out/demo-authority.pub" "$out/demo.bank"
echo "== bankctl open"
$bankctl open --trust "$out/demo-authority.pub" --start-code "$code" "$out/demo.bank"
echo "== bankctl roster"
$bankctl roster --key "$out/demo-authority.key" assets/demo/roster.csv --out "$out/roster.signed"
$bankctl verify --trust "$out/demo-authority.pub" "$out/roster.signed"
echo
echo "The demo bank, answer key and roster are in $out. Take the bank apart by hand as"
echo "docs/bank-format.md shows: tar -xf $out/demo.bank"
