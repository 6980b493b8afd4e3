#!/usr/bin/env bash
# Smoke test of the real kiosk binary: it starts under a virtual X display (Xvfb) with a demo
# configuration and must draw its first screen (a screenshot that is not blank) within a few
# seconds. Prints the time from start to a non-blank screen.
#   scripts/smoke.sh [SECONDS]   (how long to wait at most; default 15)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=$PATH:/usr/local/go/bin
limit=${1:-15}
for tool in xvfb-run import convert; do
  command -v $tool >/dev/null || { echo "smoke: $tool is missing (apt-get install xvfb imagemagick)" >&2; exit 1; }
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
go build -tags no_emoji -o "$tmp/kiosk" ./cmd/kiosk # as the package builds it
mkdir -p "$tmp/data"
cat > "$tmp/kiosk.json" <<JSON
{"data_dir": "$tmp/data", "terminal_id": "SMOKE-01", "trust": "$PWD/assets/demo/keys/demo-authority.pub"}
JSON

cat > "$tmp/inner.sh" <<'INNER'
#!/usr/bin/env bash
# Runs inside xvfb-run: start the kiosk, screenshot until the screen is not blank.
tmp=$1 limit=$2
start=$(date +%s.%N)
LANG=C "$tmp/kiosk" -config "$tmp/kiosk.json" >"$tmp/kiosk.log" 2>&1 & pid=$!
ok=1
while :; do
  sleep 0.25
  if ! kill -0 $pid 2>/dev/null; then echo "smoke: the kiosk exited early" >&2; break; fi
  import -window root "$tmp/shot.png" 2>/dev/null || continue
  sd=$(convert "$tmp/shot.png" -format '%[fx:standard_deviation]' info:)
  now=$(date +%s.%N)
  if awk -v s="$sd" 'BEGIN { exit !(s > 0.01) }'; then
    awk -v n="$now" -v s="$start" -v d="$sd" 'BEGIN { printf "smoke: first screen after %.2f s (standard deviation %s)\n", n - s, d }'
    ok=0; break
  fi
  if awk -v n="$now" -v s="$start" -v l="$limit" 'BEGIN { exit !(n - s > l) }'; then
    echo "smoke: the screen is still blank after $limit s" >&2; break
  fi
done
kill $pid 2>/dev/null; wait $pid 2>/dev/null
exit $ok
INNER
chmod +x "$tmp/inner.sh"
if ! xvfb-run -a -s "-screen 0 1024x768x24" "$tmp/inner.sh" "$tmp" "$limit"; then
  echo "smoke: kiosk output:" >&2; cat "$tmp/kiosk.log" >&2
  exit 1
fi
if [ -n "${SMOKE_SHOT:-}" ]; then cp "$tmp/shot.png" "$SMOKE_SHOT"; fi
