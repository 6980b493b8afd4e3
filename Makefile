# Ispit. `make test` and `make demo` work on a fresh Debian 12 machine: scripts/deps.sh
# installs what is missing first.
export PATH := $(PATH):/usr/local/go/bin

.PHONY: all deps build test demo fuzz bench clean

all: build

deps:
	@scripts/deps.sh

build:
	go build -o build/bin/ ./cmd/bankctl ./cmd/scorer

test: deps
	scripts/test.sh

demo: deps
	scripts/demo.sh

# Run every fuzz target for FUZZTIME each (default 1m).
FUZZTIME ?= 1m
fuzz:
	scripts/fuzz.sh $(FUZZTIME)

bench:
	go test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf build .tools
