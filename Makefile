# co2ledger build. `make` builds ./co2ledger and build/libco2ledger.a;
# `make check` installs missing packages, builds, and runs every test, also
# under AddressSanitizer and UndefinedBehaviorSanitizer; `make demo` runs the
# Berlin example end to end. See README.md.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/co2ledger
DESTDIR ?=

CC       ?= cc
PKG_CONFIG ?= pkg-config
PKGS      = sqlite3 jansson xlsxwriter libpcre2-8 libpq
BUILD    ?= build
SANITIZE ?=
VERSION   = 0.1.0

OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
WARN      = -Wall -Wextra -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wpointer-arith -Wvla -Wno-unused-parameter
# Warnings are errors for developers and in `make check` (DEVELOPER=1), as
# git does: a user's newer compiler with new warnings still builds.
ifneq ($(DEVELOPER),)
WARN     += -Werror
endif
# Same results on every machine: no fused multiply-add contraction.
# pkg-config runs once per make; a missing package stops the build with
# its name (`make deps` or `make check` install it).
PKG_MISSING := $(shell for p in $(PKGS); do $(PKG_CONFIG) --exists $$p 2>/dev/null || echo $$p; done)
PKG_CFLAGS  := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS    := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)
NEEDS_PKGS  := $(filter-out deps layers clean uninstall fuzz check demo bench check-robust,$(or $(MAKECMDGOALS),all))
ifneq ($(and $(PKG_MISSING),$(NEEDS_PKGS)),)
$(error missing libraries (pkg-config): $(PKG_MISSING); run 'make deps' or 'sh scripts/deps.sh' to install them)
endif
ALL_CFLAGS = -std=c17 $(WARN) -ffp-contract=off $(CFLAGS) $(PKG_CFLAGS)
ALL_CPPFLAGS = -I. -I$(BUILD)/gen -D_POSIX_C_SOURCE=200809L \
               -DCO2LEDGER_VERSION='"$(VERSION)"' \
               -DCO2LEDGER_DATADIR='"$(DATADIR)"' $(CPPFLAGS)
LIBS      = $(PKG_LIBS) -lm
TEST_LIBS = $(CMOCKA_LIBS)

ifneq ($(SANITIZE),)
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS    += -fsanitize=$(SANITIZE)
endif

ifeq ($(V),1)
Q =
else
Q = @
endif

LIB_SRC  = $(sort $(wildcard base/*.c store/*.c org/*.c factors/*.c engine/*.c importers/*.c reports/*.c))
CLI_SRC  = $(sort $(wildcard cli/*.c))
TEST_SRC = $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC = $(sort $(wildcard tests/fuzz/fuzz_*.c))

LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/schema_sql.o \
           $(BUILD)/obj/gen/pg_roles_sql.o
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TESTS    = $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
REPLAYS  = $(FUZZ_SRC:tests/fuzz/fuzz_%.c=$(BUILD)/fuzz-replay/%)
LIBA     = $(BUILD)/libco2ledger.a
ifeq ($(BUILD),build)
BIN      = co2ledger
else
BIN      = $(BUILD)/co2ledger
endif

.PHONY: FORCE all deps layers check check-run unit e2e replay robust demo install uninstall clean bench fuzz \
        check-valgrind check-robust
.DEFAULT_GOAL := all

all: $(BIN)

$(BIN): $(CLI_OBJ) $(LIBA)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIBA) $(LIBS)

$(LIBA): $(LIB_OBJ)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

# The settings compiled into the objects; rewritten only when they change,
# so `make PREFIX=/opt` after `make` rebuilds instead of keeping the old path.
BUILD_SETTINGS = $(BUILD)/gen/settings
$(BUILD_SETTINGS): FORCE
	@mkdir -p $(dir $@)
	$(Q)echo 'DATADIR=$(DATADIR) VERSION=$(VERSION) CFLAGS=$(ALL_CFLAGS) CPPFLAGS=$(CPPFLAGS)' | cmp -s - $@ || \
	  echo 'DATADIR=$(DATADIR) VERSION=$(VERSION) CFLAGS=$(ALL_CFLAGS) CPPFLAGS=$(CPPFLAGS)' > $@
FORCE:

$(BUILD)/obj/%.o: %.c $(BUILD_SETTINGS)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The schema is compiled into the binary as a C string.
$(BUILD)/gen/schema_sql.c: store/schema.sql
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q){ echo '/* generated from store/schema.sql: do not edit */'; \
	  echo 'const char ledger_schema_sql[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; \
	  echo ';'; } > $@

$(BUILD)/obj/gen/schema_sql.o: $(BUILD)/gen/schema_sql.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

# The rights per organisation subtree on PostgreSQL (db_pg_init_roles).
$(BUILD)/gen/pg_roles_sql.c: store/pg_roles.sql
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q){ echo '/* generated from store/pg_roles.sql: do not edit */'; \
	  echo 'extern const char ledger_pg_roles_sql[];'; \
	  echo 'const char ledger_pg_roles_sql[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; \
	  echo ';'; } > $@

$(BUILD)/obj/gen/pg_roles_sql.o: $(BUILD)/gen/pg_roles_sql.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIBA)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP $(LDFLAGS) -o $@ $< $(LIBA) $(LIBS) $(TEST_LIBS)

# The PostgreSQL backend's test runs against a throwaway cluster
# (tests/pg/cluster.sh).
$(BUILD)/tests/test_db_pg: tests/unit/test_db_pg.c $(LIBA)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP $(LDFLAGS) -o $@ tests/unit/test_db_pg.c $(LIBA) $(LIBS) $(TEST_LIBS)

# Fuzz targets linked with a small driver, to replay corpus and regressions.
$(BUILD)/fuzz-replay/%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(LIBA)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP $(LDFLAGS) -o $@ $< tests/fuzz/replay.c $(LIBA) $(LIBS)

# The robustness tests' ledger checker (audit chain, whole batches and runs).
LEDGER_CHECK = $(BUILD)/robust/ledger-check
$(LEDGER_CHECK): tests/robustness/ledger_check.c $(LIBA)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP $(LDFLAGS) -o $@ $< $(LIBA) $(LIBS)

# Install what a fresh Debian/Ubuntu machine is missing.
deps:
	$(Q)sh scripts/deps.sh

unit: $(TESTS)
	$(Q)fail=0; for t in $(TESTS); do \
	  case $$t in *test_db_pg) pg="sh tests/pg/cluster.sh run" ;; *) pg="" ;; esac; \
	  CO2LEDGER_SRCDIR=$(CURDIR) $$pg ./$$t >$$t.log 2>&1 || { fail=1; cat $$t.log; echo "FAIL: $$t"; }; \
	done; \
	[ $$fail = 0 ] && echo "  unit tests passed ($(words $(TESTS)) programs, $(BUILD))" || exit 1

e2e: $(BIN)
	$(Q)sh tests/run_cases.sh $(CURDIR)/$(BIN)

replay: $(REPLAYS)
	$(Q)for r in $(REPLAYS); do t=$${r##*/}; \
	  files=$$(find tests/fuzz/corpus/$$t tests/fuzz/regress/$$t -type f 2>/dev/null); \
	  [ -z "$$files" ] || ./$$r $$files || { echo "FAIL: fuzz replay $$t"; exit 1; }; \
	done; echo "  fuzz corpus replayed ($(words $(REPLAYS)) targets, $(BUILD))"

# A few kills, races and hostile files in every `make check` (seconds);
# `make check-robust` runs the full set (minutes; see docs/robustness.md).
robust: $(BIN) $(LEDGER_CHECK)
	$(Q)ROBUST_SANITIZED=$(SANITIZE) sh tests/robustness/run.sh quick $(CURDIR)/$(BIN) $(CURDIR)/$(LEDGER_CHECK)

check-robust: deps
	$(Q)$(MAKE) --no-print-directory all $(LEDGER_CHECK)
	$(Q)sh tests/robustness/run.sh full $(CURDIR)/$(BIN) $(CURDIR)/$(LEDGER_CHECK)

check-run: unit e2e replay robust

# Includes point only down the layers (docs/architecture.md).
layers:
	$(Q)sh scripts/check-layers.sh

# Everything: dependencies, the normal build and its tests, then the same
# tests again under AddressSanitizer and UndefinedBehaviorSanitizer.
check: deps layers
	$(Q)$(MAKE) --no-print-directory DEVELOPER=1 all check-run
	$(Q)$(MAKE) --no-print-directory DEVELOPER=1 BUILD=build-san SANITIZE=address,undefined OPT=-O1 check-run

check-valgrind: $(BIN) $(TESTS)
	$(Q)sh tests/valgrind.sh $(CURDIR)/$(BIN) $(TESTS)

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)sh examples/berlin/run.sh $(CURDIR)/$(BIN)

bench: deps
	$(Q)sh scripts/deps.sh --bench
	$(Q)$(MAKE) --no-print-directory all
	$(Q)sh bench/run.sh $(CURDIR)/$(BIN) $(or $(ROWS),1000000)

fuzz:
	$(Q)sh tests/fuzz/run.sh $(or $(FUZZ_SECONDS),60)

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/factors $(DESTDIR)$(DATADIR)/profiles $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/co2ledger
	install -m 644 factors/data/*.json $(DESTDIR)$(DATADIR)/factors/
	install -m 644 importers/profiles/*.json $(DESTDIR)$(DATADIR)/profiles/
	if [ -f docs/co2ledger.1 ]; then install -m 644 docs/co2ledger.1 $(DESTDIR)$(MANDIR)/man1/; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/co2ledger $(DESTDIR)$(MANDIR)/man1/co2ledger.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-san build-fuzz co2ledger tests/out

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
