# nethealth: build, test and demo.
#
#   make              build ./nethealth
#   make check        install what is missing, build a normal and an
#                     ASan+UBSan build, run the unit tests, bring the lab up,
#                     run the integration suite, bring the lab down; ends with
#                     "N passed, N failed"
#   make demo         bring the lab up and show what nethealth does on it
#   make fuzz         run every libFuzzer target for FUZZ_SECONDS each
#   make format       reformat the C sources with clang-format
#   make format-check fail if any C source is not clang-formatted
#   make clean

CC ?= cc
PKG_CONFIG ?= pkg-config
VERSION := $(shell cat VERSION)$(shell git describe --always --dirty 2>/dev/null | sed 's/^/+/')

# Libraries in use; later modules add theirs here.
PKGS := jansson libidn2 libevent libunbound ldns openssl libcurl libpsl sqlite3 \
	libmicrohttpd libcrypt libmaxminddb
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS))
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS)) -lm
# Integration-test programs talk to the lab with the libraries nethealth uses.
TEST_PKGS := libunbound libevent ldns openssl
TEST_PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(TEST_PKGS))
TEST_PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(TEST_PKGS))

WARN := -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
	-Wsign-compare -Wformat=2 -Wpointer-arith -Wmissing-declarations -Werror
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE -g $(WARN) -Isrc -Ibuild/gen \
	-DNH_VERSION='"$(VERSION)"' $(PKG_CFLAGS)
NORMAL_CFLAGS := -O2 -D_FORTIFY_SOURCE=2 -fstack-protector-strong
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
ASAN_CFLAGS := -O1 -fno-omit-frame-pointer $(SAN)

SRCS := $(shell find src -name '*.c' | sort)
LIB_SRCS := $(filter-out src/cli/main.c,$(SRCS))
GEN_C := build/gen/catalog_data.c build/gen/tls_data.c build/gen/assets.c
ASSETS := $(sort $(wildcard data/server/*))
GEN_H := build/gen/catalog_keys.h
CATALOG := $(sort $(wildcard data/catalog/*.txt))
TLS_DATA := data/tls-policy.tsv data/tls-suites.tsv

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
# tests/integration/*.c: stand-alone lab tools; nh_*.c link nethealth's code.
ITEST_SRCS := $(sort $(wildcard tests/integration/*.c))
NH_ITEST_SRCS := $(filter tests/integration/nh_%,$(ITEST_SRCS))
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
BENCH_SRCS := $(sort $(wildcard bench/*.c))
BENCHES := $(patsubst bench/%.c,build/bench/%,$(BENCH_SRCS))

objs = $(patsubst %.c,build/$(1)/%.o,$(2))
NORMAL_LIB_OBJS := $(call objs,normal,$(LIB_SRCS) $(GEN_C))
ASAN_LIB_OBJS := $(call objs,asan,$(LIB_SRCS) $(GEN_C))
NORMAL_UNITS := $(patsubst tests/unit/%.c,build/normal/tests/%,$(UNIT_SRCS))
ASAN_UNITS := $(patsubst tests/unit/%.c,build/asan/tests/%,$(UNIT_SRCS))
ITESTS := $(patsubst tests/integration/%.c,build/tests/%,$(ITEST_SRCS))
NH_ITESTS := $(patsubst tests/integration/%.c,build/tests/%,$(NH_ITEST_SRCS))
PLAIN_ITESTS := $(filter-out $(NH_ITESTS),$(ITESTS))
FUZZERS := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRCS))

.PHONY: all asan unit tests check check-peers demo fuzz format format-check \
	clean deps bench
.DELETE_ON_ERROR:

all: nethealth

deps:
	@scripts/install-deps

# The catalog is compiled into the binary; a malformed entry stops the build.
$(GEN_H): $(CATALOG) tools/catalog-gen.awk
	@mkdir -p build/gen
	awk -v out_c=build/gen/catalog_data.c.tmp -v out_h=$(GEN_H).tmp \
	    -f tools/catalog-gen.awk $(CATALOG)
	mv build/gen/catalog_data.c.tmp build/gen/catalog_data.c
	mv $(GEN_H).tmp $(GEN_H)
build/gen/catalog_data.c: $(GEN_H)

# The TLS suites and the NCSC policy, compiled in.
build/gen/tls_data.c: $(TLS_DATA) tools/tls-gen.awk
	@mkdir -p build/gen
	awk -v out=$@.tmp -f tools/tls-gen.awk $(TLS_DATA)
	mv $@.tmp $@

# The web server's stylesheet, script and OpenAPI document, compiled in.
build/gen/assets.c: $(ASSETS) tools/embed.sh
	@mkdir -p build/gen
	tools/embed.sh $@ $(ASSETS)

# "make V=1" shows the commands.
Q := $(if $(V),,@)

build/normal/%.o: %.c | $(GEN_H) build/gen/tls_data.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(BASE_CFLAGS) $(NORMAL_CFLAGS) -MMD -MP -c $< -o $@

build/asan/%.o: %.c | $(GEN_H) build/gen/tls_data.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC/SAN  $<")
	$(Q)$(CC) $(BASE_CFLAGS) $(ASAN_CFLAGS) -MMD -MP -c $< -o $@

nethealth: $(NORMAL_LIB_OBJS) build/normal/src/cli/main.o
	$(CC) $(NORMAL_CFLAGS) -o $@ $^ $(PKG_LIBS)

build/asan/nethealth: $(ASAN_LIB_OBJS) build/asan/src/cli/main.o
	$(CC) $(ASAN_CFLAGS) -o $@ $^ $(PKG_LIBS)

asan: build/asan/nethealth

build/normal/tests/%: build/normal/tests/unit/%.o $(NORMAL_LIB_OBJS)
	$(CC) $(NORMAL_CFLAGS) -o $@ $^ $(PKG_LIBS) -lcmocka

build/asan/tests/%: build/asan/tests/unit/%.o $(ASAN_LIB_OBJS)
	$(CC) $(ASAN_CFLAGS) -o $@ $^ $(PKG_LIBS) -lcmocka

$(NH_ITESTS): build/tests/%: build/asan/tests/integration/%.o \
    $(ASAN_LIB_OBJS)
	$(CC) $(ASAN_CFLAGS) -o $@ $^ $(PKG_LIBS)

$(PLAIN_ITESTS): build/tests/%: tests/integration/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE -g -O1 $(WARN) $(SAN) $(TEST_PKG_CFLAGS) \
	    -o $@ $< $(TEST_PKG_LIBS)

unit: $(NORMAL_UNITS) $(ASAN_UNITS)

tests: all asan unit $(ITESTS)

check: deps
	$(MAKE) format-check
	$(MAKE) tests
	tests/run

# Peer comparisons too slow for make check (testssl.sh: minutes a host).
check-peers: deps
	$(MAKE) tests
	PEERS=1 tests/run

demo: deps
	$(MAKE) all $(ITESTS)
	scripts/demo

# Benchmarks (bench/*.c link nethealth's optimized objects); bench/run
# runs them against the lab, beside the peers.
$(BENCHES): build/bench/%: build/normal/bench/%.o $(NORMAL_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(NORMAL_CFLAGS) -o $@ $^ $(PKG_LIBS)

bench: deps
	$(MAKE) all $(BENCHES)
	bench/run

# libFuzzer targets, built with clang; each runs FUZZ_SECONDS.
FUZZ_SECONDS ?= 30
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -Isrc -Ibuild/gen $(PKG_CFLAGS) \
	-DNH_VERSION='"$(VERSION)"' \
	-fsanitize=fuzzer,address,undefined
build/fuzz/%: tests/fuzz/%.c $(LIB_SRCS) $(GEN_C)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRCS) $(GEN_C) $(PKG_LIBS)

fuzz: deps $(FUZZERS)
	@set -e; for f in $(FUZZERS); do \
	    n=$$(basename $$f); mkdir -p build/fuzz/corpus-$$n; \
	    echo "fuzz: $$n for $(FUZZ_SECONDS) s"; \
	    $$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
	        build/fuzz/corpus-$$n tests/fuzz/corpus/$$n; \
	done

C_FILES = $(shell find src tests bench -name '*.c' -o -name '*.h' | sort)
format:
	clang-format -i $(C_FILES)
format-check:
	@clang-format --dry-run -Werror $(C_FILES) && \
	    echo "format-check: $(words $(C_FILES)) files clang-formatted"

clean:
	rm -rf build nethealth

-include $(shell find build -name '*.d' 2>/dev/null)
