# custjourney: PGXS build.
#
# Pure maths and parsers live in src/core (no postgres.h) so that they can be
# unit-tested, fuzzed and benchmarked without a server; PostgreSQL glue lives
# in src/.  custjourney--1.0.sql is the base install script; every later
# change goes into an upgrade script custjourney--A--B.sql (never edit a
# released script).

EXTENSION = custjourney
MODULE_big = custjourney

OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c src/*/*.c src/core/*.c src/core/*/*.c)))
CJ_HEADERS = $(wildcard src/*.h src/*/*.h src/core/*.h src/core/*/*.h)

DATA = $(wildcard custjourney--*.sql)

# setup runs first (it creates the extension and walks the upgrade chain);
# every other feature test follows in name order.
TESTS = $(sort $(basename $(notdir $(wildcard sql/*.sql))))
REGRESS = setup $(filter-out setup,$(TESTS))

# The module's version (PG 18's PG_MODULE_MAGIC_EXT) is the control file's
# default_version, so the version number lives in one place.
CJ_VERSION := $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(dir $(firstword $(MAKEFILE_LIST)))$(EXTENSION).control)

# Warnings on, but not as errors: a newer compiler must not break a user's
# build.  The test command (test/run) and CI add PG_CFLAGS=-Werror.
PG_CPPFLAGS = -I$(srcdir)/src -DCJ_VERSION='"$(CJ_VERSION)"' \
	-Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
SHLIB_LINK = -lm

EXTRA_CLEAN = test/unit/*/*.bin $(UNIT_OBJDIR) test/fuzz/*/*.bin test/bench/*/micro/*.bin tmp_check

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(OBJS): $(CJ_HEADERS)

# Unit tests of the pure-C core, one folder per area: each
# test/unit/<area>/test_*.c is a program printing TAP.
CORE_SRCS = $(sort $(wildcard src/core/*.c src/core/*/*.c))
UNIT_SRCS = $(sort $(wildcard test/unit/*/test_*.c))
UNIT_BINS = $(UNIT_SRCS:.c=.bin)
UNIT_CFLAGS = -O2 -g -std=gnu99 -Wall -Wextra -Werror -Isrc -Itest/unit

CORE_HDRS = $(wildcard src/core/*.h src/core/*/*.h)

# The core is compiled once (with the unit-test flags) into an archive that
# every unit test and microbenchmark links, instead of once per program.
UNIT_OBJDIR = test/unit/obj
CORE_LIB = $(UNIT_OBJDIR)/libcjcore.a
CORE_UNIT_OBJS = $(patsubst src/core/%.c,$(UNIT_OBJDIR)/%.o,$(CORE_SRCS))

$(UNIT_OBJDIR)/%.o: src/core/%.c $(CORE_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -c -o $@ $<

$(CORE_LIB): $(CORE_UNIT_OBJS)
	rm -f $@
	$(AR) crs $@ $^

test/unit/%.bin: test/unit/%.c $(CORE_LIB) $(CORE_HDRS) test/unit/unit.h
	$(CC) $(UNIT_CFLAGS) -o $@ $< $(CORE_LIB) -lm

unittest: $(UNIT_BINS)
	@rc=0; for t in $(UNIT_BINS); do ./$$t || rc=1; done; exit $$rc

# Microbenchmarks of the pure-C core (test/bench/<area>/micro): each prints its
# figures as ratios to a baseline measured in the same run.
MICRO_SRCS = $(sort $(wildcard test/bench/*/micro/bench_*.c))
MICRO_BINS = $(MICRO_SRCS:.c=.bin)

test/bench/%.bin: test/bench/%.c $(CORE_LIB) $(CORE_HDRS) test/bench/micro.h
	$(CC) $(UNIT_CFLAGS) -Itest/bench -o $@ $< $(CORE_LIB) -lm

microbench: $(MICRO_BINS)
	@for b in $(MICRO_BINS); do echo "== $$b"; ./$$b || exit 1; done

# TAP tests live in test/t (PGXS only looks in t/).
prove_installcheck:
	rm -rf $(CURDIR)/tmp_check
	cd $(srcdir) && TESTDIR='$(CURDIR)' PATH="$(bindir):$$PATH" PGPORT='6$(DEF_PGPORT)' \
	  PG_REGRESS='$(top_builddir)/src/test/regress/pg_regress' \
	  $(PROVE) $(PG_PROVE_FLAGS) $(PROVE_FLAGS) $(or $(PROVE_TESTS),test/t/*.pl)

# The regression suite against an ASan + UBSan build on a throw-away server,
# and the libFuzzer targets of the pure-C parsers (test/fuzz).
sanitize:
	PG_CONFIG=$(PG_CONFIG) test/sanitize

fuzz:
	test/fuzz/build.sh

.PHONY: unittest microbench prove_installcheck sanitize fuzz
