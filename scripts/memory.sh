#!/usr/bin/env bash
# The kiosk's memory against a Fyne hello-world window, measured in one run at each screen size
# under Xvfb (docs/kiosk.md, Memory). Builds the kiosk as the package does (-tags no_emoji) with
# the memory hook (-tags memprofile: SIGUSR1 writes a heap profile), the hello-world window
# (scripts/memhello, Fyne as it comes), bankctl and the scorer; prepares a kiosk data folder
# whose candidate DEMO-0001 was in the middle of the public exam when the kiosk stopped
# (scripts/demoprep -sit) and a scorer it is enrolled with; then scripts/memprobe starts the
# hello-world window and each kiosk, types the proctor's PIN on the resume screen, answers ten
# questions, lets the attempt run and reads VmRSS and VmHWM. Prints a table per size with the
# ratios to the hello-world window; everything (logs, heap profiles, smaps, screenshots) lands
# in build/memory.
#   scripts/memory.sh [--settle 30s] [--kiosk "LABEL=BINARY [NAME=VALUE …]"]…
#   SIZES="1024x768 1920x1080" (default) chooses the screen sizes; ISPIT_MEMORY_PORT (18443) the
#   scorer's port.
# --kiosk adds a kiosk to compare in the same run, such as one built from another commit or the
# same one with GOGC=100; the kiosk built here is measured first, as "kiosk".
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=$PATH:/usr/local/go/bin
for tool in xvfb-run xdotool; do
  command -v $tool >/dev/null || { echo "memory: $tool is missing (apt-get install xvfb xdotool)" >&2; exit 1; }
done
settle=30s
extra=()
while [ $# -gt 0 ]; do
  case $1 in
    --settle) settle=$2; shift 2 ;;
    --kiosk) extra+=(-kiosk "$2"); shift 2 ;;
    *) echo "usage: scripts/memory.sh [--settle 30s] [--kiosk \"LABEL=BINARY [NAME=VALUE …]\"]…" >&2; exit 2 ;;
  esac
done

out=$PWD/build/memory
rm -rf "$out"
mkdir -p "$out/bin"
bin=$out/bin
echo "== building" >&2
go build -tags memprofile,no_emoji -o "$bin/" ./cmd/kiosk
go build -o "$bin/" ./scripts/memhello ./scripts/memprobe ./cmd/bankctl ./cmd/scorer

echo "== a kiosk in the middle of an attempt, and its scorer" >&2
install -m 0600 assets/demo/keys/demo-authority.key "$out/authority.key"
install -m 0644 assets/demo/keys/demo-authority.pub "$out/authority.pub"
code=$(cat assets/demo/start-code.txt)
"$bin/bankctl" build --key "$out/authority.key" --source assets/demo/bank/bank.yaml --out "$out/demo.bank" \
  --answers "$out/demo.answers" --start-code "$code" >/dev/null
"$bin/bankctl" roster --key "$out/authority.key" assets/demo/roster.csv --out "$out/roster.signed" >/dev/null
port=${ISPIT_MEMORY_PORT:-18443}
"$bin/scorer" keygen --data "$out/scorer" >/dev/null
"$bin/scorer" answers load --data "$out/scorer" --trust "$out/authority.pub" "$out/demo.answers" >/dev/null
"$bin/scorer" enrolment --data "$out/scorer" --url "https://127.0.0.1:$port" --out "$out/enrolment.json" >/dev/null
mkdir -p "$out/kiosk"
printf '{"data_dir": "data.orig", "terminal_id": "MEM-01", "trust": "../authority.pub"}\n' >"$out/kiosk/kiosk.json"
pub=$(go run ./scripts/demoprep -config "$out/kiosk/kiosk.json" -bank "$out/demo.bank" -roster "$out/roster.signed" \
  -enrolment "$out/enrolment.json" -sit DEMO-0001 -start-code "$code")
printf '{"data_dir": "data", "terminal_id": "MEM-01", "trust": "../authority.pub"}\n' >"$out/kiosk/kiosk.json"
"$bin/scorer" terminal add --data "$out/scorer" --id MEM-01 --key "$pub" >/dev/null
"$bin/scorer" serve --data "$out/scorer" --addr "127.0.0.1:$port" --trust "$out/authority.pub" >"$out/scorer.log" 2>&1 &
scorer_pid=$!
trap 'kill $scorer_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  curl -skf "https://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 $scorer_pid 2>/dev/null || { cat "$out/scorer.log" >&2; exit 1; }
  sleep 0.1
done

for size in ${SIZES:-1024x768 1920x1080}; do
  echo "== $size" >&2
  echo "### $size, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  xvfb-run -a -s "-screen 0 ${size}x24" "$bin/memprobe" -dir "$out/kiosk" -out "$out/$size" -settle "$settle" \
    -hello "$bin/memhello" -kiosk "kiosk=$bin/kiosk" "${extra[@]}"
  echo
done | tee "$out/report.md"
