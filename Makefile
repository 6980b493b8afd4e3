# Ispit. `make test` and `make demo` work on a fresh Debian 12 machine: scripts/deps.sh
# installs what is missing first.
export PATH := $(PATH):/usr/local/go/bin

.PHONY: all deps build test demo package test-package fuzz bench clean

all: build

deps:
	@scripts/deps.sh

build:
	go build -o build/bin/ ./cmd/bankctl ./cmd/scorer

test: deps
	scripts/test.sh

demo: deps
	scripts/demo.sh

# The Debian packages (ispit-kiosk, ispit-scorer, ispit-bankctl) in build/package; VERSION=…
# sets their version. test-package installs them into a fresh Debian 12 root and tries the
# kiosk session there (as root; docs/exam-pc.md).
package: deps
	scripts/package.sh

test-package: deps
	scripts/test-package.sh

# Run every fuzz target for FUZZTIME each (default 1m).
FUZZTIME ?= 1m
fuzz:
	scripts/fuzz.sh $(FUZZTIME)

bench:
	go test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf build .tools
