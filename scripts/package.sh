#!/usr/bin/env bash
# Builds the Debian packages of Ispit for Debian 12 (amd64) with dpkg-deb:
#   ispit-kiosk    the exam-room PC: the kiosk, and the session that boots into it
#   ispit-scorer   the central scorer and the commission's console, as a hardened service
#   ispit-bankctl  the exam authority's bank tool
# and checks each with lintian (packaging/lintian: each tag left explained).
#   scripts/package.sh [OUTDIR]    (VERSION=… overrides the version)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=$PATH:/usr/local/go/bin
out=${1:-build/package}
version=${VERSION:-0.2.0~git$(git log -1 --format=%cd --date=format:%Y%m%d 2>/dev/null || date +%Y%m%d).$(git rev-parse --short=8 HEAD 2>/dev/null || echo 0)}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$out"

echo "== building the programs ($version)"
ldflags="-s -w"
# no_emoji leaves out Fyne's emoji font, which every text style of the kiosk would otherwise
# parse into some 4.7 MB of heap (docs/kiosk.md, Memory).
go build -trimpath -buildmode=pie -tags no_emoji -ldflags "$ldflags" -o "$stage/bin/ispit-kiosk" ./cmd/kiosk
CGO_ENABLED=0 go build -trimpath -buildmode=pie -ldflags "$ldflags" -o "$stage/bin/ispit-scorer" ./cmd/scorer
CGO_ENABLED=0 go build -trimpath -buildmode=pie -ldflags "$ldflags" -o "$stage/bin/ispit-bankctl" ./cmd/bankctl

# put SRC MODE DEST: one file of a package's tree.
put() { install -D -m "$2" "$1" "$root/$3"; }

# common NAME: what every package carries: the program, its manual page, the copyright and
# changelog, the lintian overrides.
common() {
	local name=$1
	root=$stage/$name
	put "$stage/bin/$name" 0755 "usr/bin/$name"
	put "packaging/common/$name.1" 0644 "usr/share/man/man1/$name.1"
	gzip -9n "$root/usr/share/man/man1/$name.1"
	put packaging/common/copyright 0644 "usr/share/doc/$name/copyright"
	printf '%s (%s) stable; urgency=medium\n\n  * Built from the Ispit repository.\n\n -- Ispit maintainers <maintainers@ispit.rs>  %s\n' \
		"$name" "$version" "$(date -R -d @"$(git log -1 --format=%ct 2>/dev/null || date +%s)")" >"$root/usr/share/doc/$name/changelog"
	gzip -9n "$root/usr/share/doc/$name/changelog"
	if [ -f "packaging/lintian/$name" ]; then
		put "packaging/lintian/$name" 0644 "usr/share/lintian/overrides/$name"
	fi
}

# control NAME DEPENDS SUMMARY DESCRIPTION…: the package's control file and scripts, then the
# package itself.
control() {
	local name=$1 depends=$2 summary=$3
	shift 3
	mkdir -p "$root/DEBIAN"
	for script in postinst prerm postrm; do
		if [ -f "packaging/$name/$script" ]; then
			install -m 0755 "packaging/$name/$script" "$root/DEBIAN/$script"
		fi
	done
	if [ -d "$root/etc" ]; then
		(cd "$root" && find etc -type f | sed 's#^#/#' | sort) >"$root/DEBIAN/conffiles"
	fi
	(cd "$root" && find . -path ./DEBIAN -prune -o -type f -print | sed 's#^\./##' | sort | xargs md5sum) >"$root/DEBIAN/md5sums"
	local size
	size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
	{
		echo "Package: $name"
		echo "Version: $version"
		echo "Architecture: amd64"
		echo "Maintainer: Ispit maintainers <maintainers@ispit.rs>"
		echo "Installed-Size: $size"
		[ -z "$depends" ] || echo "Depends: $depends"
		echo "Section: misc"
		echo "Priority: optional"
		echo "Description: $summary"
		for line in "$@"; do
			echo " $line"
		done
	} >"$root/DEBIAN/control"
	dpkg-deb --root-owner-group -Zxz --build "$root" "$out/${name}_${version}_amd64.deb" >/dev/null
	echo "$out/${name}_${version}_amd64.deb  $(du -h "$out/${name}_${version}_amd64.deb" | cut -f1)"
}

echo "== ispit-kiosk"
common ispit-kiosk
put packaging/ispit-kiosk/kiosk-session 0755 usr/lib/ispit/kiosk-session
put packaging/ispit-kiosk/lockdown 0755 usr/lib/ispit/lockdown
put packaging/ispit-kiosk/usb-mount 0755 usr/lib/ispit/usb-mount
put packaging/ispit-kiosk/sway-kiosk.conf 0644 usr/share/ispit/sway-kiosk.conf
put packaging/ispit-kiosk/ispit-kiosk.service 0644 lib/systemd/system/ispit-kiosk.service
put packaging/ispit-kiosk/ispit-usb@.service 0644 lib/systemd/system/ispit-usb@.service
put packaging/ispit-kiosk/90-ispit-usb.rules 0644 lib/udev/rules.d/90-ispit-usb.rules
put packaging/ispit-kiosk/logind.conf 0644 etc/systemd/logind.conf.d/90-ispit-kiosk.conf
put packaging/ispit-kiosk/sysctl.conf 0644 etc/sysctl.d/90-ispit-kiosk.conf
put docs/exam-pc.md 0644 usr/share/doc/ispit-kiosk/exam-pc.md
control ispit-kiosk \
	"libc6 (>= 2.34), libgl1, libx11-6, libgl1-mesa-dri, sway (>= 1.7), xwayland, adduser, systemd, udev, mount" \
	"Ispit exam-room kiosk, booting the PC straight into the exam" \
	"The kiosk where candidates sit civil-service recruitment exams, and the session" \
	"that turns a Debian 12 PC into an exam terminal: at boot, without a display" \
	"manager, the kiosk fullscreen in a locked-down Wayland compositor as the" \
	"unprivileged user ispit; no other program, no text console, no key bindings;" \
	"the kiosk started again whenever it ends; USB sticks mounted for the kiosk."

echo "== ispit-scorer"
common ispit-scorer
put packaging/ispit-scorer/ispit-scorer.service 0644 lib/systemd/system/ispit-scorer.service
put packaging/ispit-scorer/default 0644 etc/default/ispit-scorer
put docs/scorer-api.md 0644 usr/share/doc/ispit-scorer/scorer-api.md
put docs/console.md 0644 usr/share/doc/ispit-scorer/console.md
put docs/sheet-format.md 0644 usr/share/doc/ispit-scorer/sheet-format.md
control ispit-scorer "adduser, systemd" \
	"Ispit central scorer and the selection commission's console" \
	"Receives the sealed answer sheets of the exam-room kiosks, checks and stores" \
	"them, answers with signed receipts and scores them; serves the selection" \
	"commission's web console (blind grading, interviews, results, appeals, key" \
	"corrections), as a hardened system service with its own user."

echo "== ispit-bankctl"
common ispit-bankctl
put docs/bank-format.md 0644 usr/share/doc/ispit-bankctl/bank-format.md
put docs/bank-source.md 0644 usr/share/doc/ispit-bankctl/bank-source.md
put docs/importing.md 0644 usr/share/doc/ispit-bankctl/importing.md
control ispit-bankctl "" \
	"Ispit bank tool: builds, signs and seals question banks" \
	"The exam authority's tool: signing keys, question banks built from their source" \
	"and sealed to a start code, answer keys, signed rosters and key amendments, and" \
	"imports of GIFT, Aiken, Moodle XML and QTI questions."

if ! command -v lintian >/dev/null && [ "$(id -u)" = 0 ]; then
	apt-get install -y -qq --no-install-recommends lintian >/dev/null
fi
if command -v lintian >/dev/null; then
	echo "== lintian"
	lintian --fail-on error,warning "$out"/*_"${version}"_amd64.deb
else
	echo "package: lintian is not installed: the packages are not checked (apt install lintian)" >&2
fi
