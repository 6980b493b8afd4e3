#!/usr/bin/env bash
# The demo: builds the three programs, builds the demo bank, answer key and roster with the
# demo authority key, starts a scorer on 127.0.0.1 (HTTPS with its own pinned certificate)
# with the commission's console beside it, prepares a kiosk data folder as an administrator
# would (demo PINs, bank, roster, enrolment), registers the terminal with the scorer and opens
# the kiosk in a window. The demo candidates the kiosk demo does not use have sat already on
# another terminal, and the demo graders have graded part of their written tasks.
# Everything lands in build/demo; run it again for a fresh demo. Closing the kiosk (proctor
# PIN 246810) stops the scorer too.
#   scripts/demo.sh [--no-kiosk]   (--no-kiosk: prepare and start the scorer only)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=$PATH:/usr/local/go/bin

out=build/demo
rm -rf "$out"
mkdir -p build/bin "$out"
echo "== building bankctl, scorer and kiosk"
# no_emoji: the kiosk is built without Fyne's emoji font (docs/kiosk.md, Memory).
go build -tags no_emoji -o build/bin/ ./cmd/bankctl ./cmd/scorer ./cmd/kiosk
bin=build/bin

# Git does not keep file modes: give the demo key the 0600 a private key needs.
install -m 0600 assets/demo/keys/demo-authority.key "$out/demo-authority.key"
install -m 0644 assets/demo/keys/demo-authority.pub "$out/demo-authority.pub"
code=$(cat assets/demo/start-code.txt)

echo "== the demo bank, answer key and roster"
$bin/bankctl build --key "$out/demo-authority.key" --source assets/demo/bank/bank.yaml \
  --out "$out/demo.bank" --answers "$out/demo.answers" --start-code "$code"
$bin/bankctl roster --key "$out/demo-authority.key" assets/demo/roster.csv --out "$out/roster.signed"

echo "== the scorer"
port=${ISPIT_DEMO_PORT:-8443}
scorer="$out/scorer"
$bin/scorer keygen --data "$scorer" --host 127.0.0.1 >/dev/null
$bin/scorer answers load --data "$scorer" --trust "$out/demo-authority.pub" "$out/demo.answers"
$bin/scorer enrolment --data "$scorer" --url "https://127.0.0.1:$port" --out "$out/enrolment.json"

echo "== the commission: questions, roster, rules, members, sheets already sat"
$bin/scorer bank load --data "$scorer" --trust "$out/demo-authority.pub" --start-code "$code" "$out/demo.bank"
$bin/scorer roster load --data "$scorer" --trust "$out/demo-authority.pub" "$out/roster.signed"
$bin/scorer rules --data "$scorer" --graders 2 --disagreement 10
# The demo members' password, listed in README.md: demo accounts only.
demo_password=demo-lozinka
for member in "tajnica:Amra Tajić:secretary" "ana:Ana Anić:grader,interviewer" "boris:Boris Borić:grader" \
              "cvijeta:Cvijeta Cvijić:grader" "dino:Dino Dinić:interviewer"; do
  IFS=: read -r name full roles <<<"$member"
  echo "$demo_password" | $bin/scorer user add --data "$scorer" --name "$name" --full-name "$full" --role "$roles" --password-stdin >/dev/null
done
go run ./scripts/democompetition -data "$scorer" -bank "$out/demo.bank" -answers "$out/demo.answers" \
  -roster "$out/roster.signed" -trust "$out/demo-authority.pub" -start-code "$code" \
  -leave DEMO-0001,DEMO-0002,DEMO-0003,DEMO-0004

echo "== the kiosk's data folder (as the administrator prepares it)"
mkdir -p "$out/kiosk"
cat > "$out/kiosk/kiosk.json" <<JSON
{"data_dir": "data", "terminal_id": "DEMO-01", "trust": "../demo-authority.pub"}
JSON
pub=$(go run ./scripts/demoprep -config "$out/kiosk/kiosk.json" -bank "$out/demo.bank" \
  -roster "$out/roster.signed" -enrolment "$out/enrolment.json")
$bin/scorer terminal add --data "$scorer" --id DEMO-01 --key "$pub"

console_port=${ISPIT_DEMO_CONSOLE_PORT:-8444}
$bin/scorer serve --data "$scorer" --addr "127.0.0.1:$port" --console-addr "127.0.0.1:$console_port" \
  --trust "$out/demo-authority.pub" >"$out/scorer.log" 2>&1 &
scorer_pid=$!
trap 'kill $scorer_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  curl -skf "https://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 $scorer_pid 2>/dev/null || { cat "$out/scorer.log" >&2; exit 1; }
  sleep 0.1
done
echo "scorer: https://127.0.0.1:$port (log: $out/scorer.log)"
echo "console: https://127.0.0.1:$console_port (the scorer's own certificate: accept it in the browser)"

cat <<TEXT

Demo ready.
  proctor PIN        246810
  administrator PIN  135790
  start code         $code
  candidates         DEMO-0001 (bs), DEMO-0002 (hr), DEMO-0003 (sr-Cyrl), DEMO-0004 (sq)
The commission's console: https://127.0.0.1:$console_port
  members            tajnica (secretary), ana (grader, interviewer), boris, cvijeta (graders),
                     dino (interviewer); password $demo_password
Results after a sheet is delivered:
  $bin/scorer results --data $scorer
TEXT
if [ "${1:-}" = "--no-kiosk" ]; then
  echo "The scorer runs until you press Ctrl-C."
  wait $scorer_pid
  exit 0
fi
(cd "$out/kiosk" && ../../bin/kiosk -config kiosk.json -windowed)
