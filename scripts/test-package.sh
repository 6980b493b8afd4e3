#!/usr/bin/env bash
# The packages' test (make test-package): builds ispit-kiosk, ispit-scorer and ispit-bankctl
# twice (two versions), makes a fresh Debian 12 root with mmdebstrap from the Debian mirror,
# installs them into it with apt and checks files, users, permissions and unit files; starts the
# installed kiosk session as the user ispit under its compositor's headless backend and checks
# by screenshots that the kiosk fills the screen, that the keys a candidate would try to leave
# with change nothing, and that a killed kiosk comes back on the resume screen; then upgrades,
# removes and purges, checking that the exam data survives all but the purge. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=$PATH:/usr/local/go/bin
[ "$(id -u)" = 0 ] || { echo "test-package: run as root (mmdebstrap, chroot)" >&2; exit 1; }
missing=()
for p in mmdebstrap lintian imagemagick; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
	echo "test-package: installing ${missing[*]}" >&2
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

work=$(mktemp -d /var/tmp/ispit-test-package.XXXXXX)
root=$work/root
shots=${ISPIT_SHOTS:-$work/shots}
mkdir -p "$shots"
mounted=()
cleanup() {
	set +e
	pkill -KILL -f "$root" 2>/dev/null
	if [ -n "${uid:-}" ]; then pkill -KILL -U "$uid" 2>/dev/null; fi
	if [ -n "${loop:-}" ]; then umount -l "$loop" 2>/dev/null; losetup -d "$loop" 2>/dev/null; fi
	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[i]}" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "test-package: FAIL: $*" >&2; exit 1; }
pass() { echo "test-package: ok: $*"; }

echo "== packages, two versions"
VERSION=0.2.0~test1 scripts/package.sh "$work/v1" | tail -n +2
VERSION=0.2.1~test2 scripts/package.sh "$work/v2" >/dev/null
for f in "$work"/v1/*.deb; do echo "  $(basename "$f") $(du -k "$f" | cut -f1) KiB"; done

echo "== a fresh Debian 12 root"
start=$(date +%s)
mmdebstrap --quiet --variant=apt --include=systemd,systemd-sysv,udev,adduser,grim,wtype,procps,libxkbcommon-tools,dosfstools,e2fsprogs bookworm "$root" >/dev/null
echo "  made in $(($(date +%s) - start)) s"
cp "$work"/v1/*.deb "$root/tmp/"
chroot "$root" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends /tmp/ispit-kiosk_*.deb /tmp/ispit-scorer_*.deb /tmp/ispit-bankctl_*.deb' >"$work/install.log" 2>&1 ||
	{ cat "$work/install.log"; fail "installing the packages"; }
grep -q "starts into the exam kiosk from the next boot" "$work/install.log" || fail "the kiosk's postinst said nothing"
pass "installed with apt ($(du -sh "$root" | cut -f1) root)"

echo "== files, users, permissions, units"
for f in usr/bin/ispit-kiosk usr/bin/ispit-scorer usr/bin/ispit-bankctl usr/lib/ispit/kiosk-session usr/lib/ispit/usb-mount \
	usr/lib/ispit/lockdown usr/share/ispit/sway-kiosk.conf lib/systemd/system/ispit-kiosk.service lib/systemd/system/ispit-usb@.service \
	lib/udev/rules.d/90-ispit-usb.rules lib/systemd/system/ispit-scorer.service etc/ispit/kiosk.json etc/default/ispit-scorer \
	etc/sysctl.d/90-ispit-kiosk.conf etc/systemd/logind.conf.d/90-ispit-kiosk.conf usr/share/doc/ispit-kiosk/exam-pc.md; do
	[ -e "$root/$f" ] || fail "/$f is missing"
done
entry=$(chroot "$root" getent passwd ispit) || fail "no user ispit"
[ "$(echo "$entry" | cut -d: -f7)" = /usr/sbin/nologin ] || fail "ispit can log in: $entry"
[ "$(chroot "$root" getent shadow ispit | cut -d: -f2)" = '!' ] || fail "ispit has a password"
chroot "$root" id -nG ispit | grep -qw video || fail "ispit is not in the video group"
[ "$(chroot "$root" stat -c '%U %a' /var/lib/ispit)" = "ispit 700" ] || fail "/var/lib/ispit: $(chroot "$root" stat -c '%U %a' /var/lib/ispit)"
[ "$(chroot "$root" stat -c '%U %a' /var/lib/ispit-scorer)" = "ispit-scorer 700" ] || fail "/var/lib/ispit-scorer"
[ "$(readlink "$root/etc/systemd/system/default.target")" = /lib/systemd/system/graphical.target ] || fail "the default target is not graphical"
[ -L "$root/etc/systemd/system/graphical.target.wants/ispit-kiosk.service" ] || fail "ispit-kiosk.service is not enabled"
[ -L "$root/etc/systemd/system/multi-user.target.wants/ispit-scorer.service" ] || fail "ispit-scorer.service is not enabled"
out=$(chroot "$root" systemd-analyze verify /lib/systemd/system/ispit-kiosk.service /lib/systemd/system/ispit-scorer.service \
	/lib/systemd/system/ispit-usb@sdb1.service 2>&1) || fail "systemd-analyze verify: $out"
[ -z "$out" ] || fail "systemd-analyze verify: $out"
exposure() { systemd-analyze security --offline=true --root="$root" "$1" 2>/dev/null | sed -n "s/.*Overall exposure level for $1: \([0-9.]*\).*/\1/p"; }
pass "files, user ispit (no password, no shell), /var/lib/ispit 0700, units verify; exposure (systemd-analyze security, 0 best, 10 worst): ispit-scorer $(exposure ispit-scorer.service), ispit-kiosk $(exposure ispit-kiosk.service)"

echo "== the kiosk's data: a terminal that died in the middle of an exam"
bin=$work/bin
mkdir -p "$bin"
go build -o "$bin/" ./cmd/bankctl ./cmd/scorer
install -m 0600 assets/demo/keys/demo-authority.key "$work/authority.key"
install -m 0644 assets/demo/keys/demo-authority.pub "$root/etc/ispit/authority.pub"
code=$(cat assets/demo/start-code.txt)
"$bin/bankctl" build --key "$work/authority.key" --source assets/demo/bank/bank.yaml --out "$work/demo.bank" \
	--answers "$work/demo.answers" --start-code "$code" >/dev/null
"$bin/bankctl" roster --key "$work/authority.key" assets/demo/roster.csv --out "$work/roster.signed" >/dev/null
"$bin/scorer" keygen --data "$work/scorer" >/dev/null
"$bin/scorer" enrolment --data "$work/scorer" --url https://127.0.0.1:8443 --out "$work/enrolment.json" >/dev/null
terminal=$(sed -n 's/.*"terminal_id": "\(.*\)".*/\1/p' "$root/etc/ispit/kiosk.json")
printf '{"data_dir": "%s", "terminal_id": "%s", "trust": "%s"}\n' "$root/var/lib/ispit" "$terminal" "$root/etc/ispit/authority.pub" >"$work/kiosk.json"
go run ./scripts/demoprep -config "$work/kiosk.json" -bank "$work/demo.bank" -roster "$work/roster.signed" \
	-enrolment "$work/enrolment.json" -sit DEMO-0001 -start-code "$code" >/dev/null
chroot "$root" chown -R ispit:ispit /var/lib/ispit
pass "PINs set, demo bank and roster loaded, DEMO-0001 three answers into the public exam"

echo "== the installed session under the compositor's headless backend"
for m in proc sys dev dev/pts dev/shm run tmp; do mkdir -p "$root/$m"; done
mount -t proc proc "$root/proc" && mounted+=("$root/proc")
mount -t sysfs sys "$root/sys" && mounted+=("$root/sys")
mount --bind /dev "$root/dev" && mounted+=("$root/dev")
mount -t devpts devpts "$root/dev/pts" && mounted+=("$root/dev/pts")
mount -t tmpfs shm "$root/dev/shm" && mounted+=("$root/dev/shm")
mount -t tmpfs run "$root/run" && mounted+=("$root/run")
uid=$(chroot "$root" id -u ispit)

echo "== a USB stick"
truncate -s 32M "$root/tmp/stick.img"
loop=$(losetup --find --show "$root/tmp/stick.img")
dev=$(basename "$loop")
# Most sticks are FAT; where the kernel has no vfat (this machine's does not), an ext4 stick
# whose root folder belongs to the kiosk stands in.
fs=ext4
grep -qw vfat /proc/filesystems && fs=vfat
if [ "$fs" = vfat ]; then
	chroot "$root" mkfs.vfat -n EXAMSTICK "/dev/$dev" >/dev/null
else
	chroot "$root" mkfs.ext4 -q -L EXAMSTICK -E root_owner="$uid:$(chroot "$root" id -g ispit)" "/dev/$dev"
	chroot "$root" sh -c "mount /dev/$dev /mnt && chmod 0700 /mnt && umount /mnt"
fi
chroot "$root" /usr/lib/ispit/usb-mount mount "$dev" >/dev/null
stick=$root/media/ispit/EXAMSTICK
mounted+=("$stick")
opts=$(findmnt -n -o OPTIONS --target "$stick")
for o in noexec nosuid nodev sync; do [[ ",$opts," == *",$o,"* ]] || fail "the stick is mounted without $o: $opts"; done
[ "$(chroot "$root" stat -c %U /media/ispit/EXAMSTICK)" = ispit ] || fail "the stick is not the kiosk's"
chroot "$root" runuser -u ispit -- sh -c 'echo "exported sheets" >/media/ispit/EXAMSTICK/export.txt' || fail "the kiosk cannot write to the stick"
chroot "$root" runuser -u nobody -- cat /media/ispit/EXAMSTICK/export.txt >/dev/null 2>&1 && fail "another user reads the stick"
cp "$root/usr/bin/true" "$stick/program"
chroot "$root" runuser -u ispit -- /media/ispit/EXAMSTICK/program 2>/dev/null && fail "a program on the stick runs"
chroot "$root" /usr/lib/ispit/usb-mount unmount "$dev" >/dev/null
[ ! -e "$stick" ] || fail "the stick's folder is left after its removal"
chroot "$root" sh -c "fsck.$fs -n /dev/$dev >/dev/null 2>&1" || fail "the stick's file system is not clean after the removal"
losetup -d "$loop"
pass "a $fs stick is mounted at /media/ispit/EXAMSTICK for ispit only ($opts), written through, unmounted cleanly"

runtime=/run/user/$uid
install -d -o "$uid" -g "$uid" -m 0700 "$root$runtime"
session() { chroot "$root" runuser -u ispit -- env -i HOME=/var/lib/ispit USER=ispit LANG=C.UTF-8 XDG_RUNTIME_DIR="$runtime" "$@"; }
shot() { session env WAYLAND_DISPLAY="$display" grim "/tmp/$1.png" && cp "$root/tmp/$1.png" "$shots/$1.png"; }
pixel() { convert "$shots/$1.png" -format "%[pixel:p{$2}]" info:; }
corner() { pixel "$1" "$(identify -format '%[fx:w-1],%[fx:h-1]' "$shots/$1.png")"; }
differ() { compare -metric AE "$shots/$1.png" "$shots/$2.png" null: 2>&1 || true; }

start=$(date +%s%N)
session WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman XKB_DEFAULT_OPTIONS=srvrkeys:none \
	sway --config /usr/share/ispit/sway-kiosk.conf >"$work/session.log" 2>&1 &
display=
for _ in $(seq 300); do
	for s in "$root$runtime"/wayland-*; do [ -S "$s" ] && display=$(basename "$s"); done
	[ -n "$display" ] && break
	sleep 0.05
done
[ -n "$display" ] || { cat "$work/session.log"; fail "the compositor did not start"; }
# The first screen: the kiosk fills the screen when its bottom-right corner has its background,
# not the compositor's black, and it is drawn when it is not one plain colour. (A restarted
# kiosk opens the session's bank again, a second or more of key derivation on a busy machine.)
blank() { [ "$(convert "$shots/$1.png" -format '%[fx:standard_deviation>0.05]' info:)" != 1 ]; }
first=
for _ in $(seq 600); do
	if shot boot 2>/dev/null && [ "$(corner boot)" != "srgb(0,0,0)" ] && [ "$(pixel boot 0,0)" != "srgb(0,0,0)" ] && ! blank boot; then
		first=$((($(date +%s%N) - start) / 1000000))
		break
	fi
	sleep 0.1
done
[ -n "$first" ] || { tail -20 "$work/session.log"; fail "the kiosk never filled the screen with its first screen"; }
size=$(identify -format '%wx%h' "$shots/boot.png")
sleep 1
shot resume
pass "the kiosk's first screen fills the ${size} screen ${first} ms after the compositor started (screenshots: $shots)"
# The session runs with LANG=C.UTF-8, Debian's default on minimal installs: English, silently.
! grep -q 'Error parsing user locale' "$work/session.log" || fail "the kiosk logged Fyne's locale error under LANG=C.UTF-8"

# The keys a candidate would try, in one virtual keyboard (the first key of a new keyboard is
# lost while its layout loads, hence the Shift first).
session env WAYLAND_DISPLAY="$display" wtype -k Shift_L -M alt -k Tab -m alt -M alt -k F4 -m alt -M ctrl -k q -m ctrl \
	-M ctrl -k w -m ctrl -M ctrl -M alt -k F2 -m alt -m ctrl -M ctrl -M alt -k Delete -m alt -m ctrl -k Super_L -M logo -k d -m logo
sleep 1.5
shot escape
[ "$(differ resume escape)" -lt 2000 ] || fail "the escape keys changed the screen ($(differ resume escape) pixels)"
pgrep -f "^/usr/bin/ispit-kiosk -config" >/dev/null || fail "the kiosk is gone after the escape keys"
# The keyboard does reach the kiosk: digits typed go into the proctor's PIN field, which has
# the focus on the resume screen. (wtype's own keymap changes with each call; X programs map
# key codes once at start, so only typed characters, not keys such as Enter, arrive intact.)
session env WAYLAND_DISPLAY="$display" wtype -k Shift_L 24681357
sleep 1
shot typed
[ "$(differ escape typed)" -gt 150 ] || fail "typing changed nothing ($(differ escape typed) pixels): the keys did not reach the kiosk"
# Ctrl+Alt+F1…F12 switch virtual terminals only when the keyboard's layout maps them to
# XF86Switch_VT_n; the layout the kiosk's sway gives every keyboard must not.
options=$(sed -n 's/^input type:keyboard xkb_options //p' "$root/usr/share/ispit/sway-kiosk.conf")
[ "$(chroot "$root" xkbcli compile-keymap --layout us --options "$options" | grep -c 'symbols.*XF86Switch_VT')" = 0 ] ||
	fail "the kiosk's keyboard layout (options $options) still switches virtual terminals"
[ "$(chroot "$root" xkbcli compile-keymap --layout us | grep -c 'symbols.*XF86Switch_VT')" -gt 0 ] || fail "the layout check cannot see VT keys"
pass "Alt+Tab, Alt+F4, Ctrl+Q, Ctrl+W, Ctrl+Alt+F2, Ctrl+Alt+Del, Super, Super+D change nothing; no VT-switch keys in the layout; typing reaches the kiosk"

# Kill the kiosk: the session starts it again, on the resume screen.
old=$(pgrep -f "^/usr/bin/ispit-kiosk -config")
kill -KILL "$old"
back=
for _ in $(seq 100); do
	new=$(pgrep -f "^/usr/bin/ispit-kiosk -config" || true)
	if [ -n "$new" ] && [ "$new" != "$old" ]; then back=1; break; fi
	sleep 0.1
done
[ -n "$back" ] || fail "the killed kiosk did not come back"
for _ in $(seq 300); do
	sleep 0.1
	shot restarted && [ "$(differ resume restarted)" -lt 2000 ] && break
done
[ "$(differ resume restarted)" -lt 2000 ] || fail "after the kill the kiosk shows another screen ($(differ resume restarted) pixels differ from the resume screen)"
pass "a kiosk killed with SIGKILL is started again by the session and shows the resume screen"
rss=$(ps -o rss= -p "$(pgrep -f '^/usr/bin/ispit-kiosk -config')" | tr -d ' ')
pass "kiosk resident memory in the session: $((rss / 1024)) MiB"
pkill -KILL -U "$uid" || true
sleep 1

echo "== upgrade, removal, purge"
echo "an exam database" >"$root/var/lib/ispit/marker"
before=$(find "$root/var/lib/ispit" -type f | sort | xargs md5sum | sed "s#$root##")
cp "$work"/v2/*.deb "$root/tmp/"
chroot "$root" sh -c 'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq /tmp/ispit-kiosk_0.2.1*.deb /tmp/ispit-scorer_0.2.1*.deb' >"$work/upgrade.log" 2>&1 ||
	{ cat "$work/upgrade.log"; fail "upgrading"; }
[ "$(chroot "$root" dpkg-query -W -f '${Version}' ispit-kiosk)" = 0.2.1~test2 ] || fail "not upgraded"
after=$(find "$root/var/lib/ispit" -type f | sort | xargs md5sum | sed "s#$root##")
[ "$before" = "$after" ] || fail "the upgrade changed the exam data"
[ "$(chroot "$root" stat -c '%a' /var/lib/ispit/terminal.key 2>/dev/null || echo missing)" = 600 ] || fail "the terminal key is not 0600"
pass "upgraded to 0.2.1~test2; the exam data unchanged, the terminal key 0600"
chroot "$root" sh -c 'DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq ispit-kiosk' >"$work/remove.log" 2>&1 || { cat "$work/remove.log"; fail "removing"; }
grep -q "are kept" "$work/remove.log" || fail "the removal did not say what it keeps"
after=$(find "$root/var/lib/ispit" -type f | sort | xargs md5sum | sed "s#$root##")
[ "$before" = "$after" ] || fail "the removal changed the exam data"
pass "removed; the exam data unchanged"
chroot "$root" sh -c 'DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq ispit-kiosk' >"$work/purge.log" 2>&1 || { cat "$work/purge.log"; fail "purging"; }
grep -q "DELETES this terminal's exam data" "$work/purge.log" || fail "the purge did not say what it deletes"
[ ! -e "$root/var/lib/ispit" ] && [ ! -e "$root/etc/ispit/kiosk.json" ] || fail "the purge left the exam data"
pass "purged, saying what it deletes: $(grep -c . "$work/purge.log") lines"
echo "test-package: all passed"
