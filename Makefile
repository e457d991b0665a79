# tcpdoc - see README.md. `make run` and `make check` work on a fresh Debian machine.
PROG      := tcpdoc
VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
BINDIR    := $(PREFIX)/bin
MANDIR    := $(PREFIX)/share/man/man1
BASHCOMPDIR := $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  := $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR := $(PREFIX)/share/fish/vendor_completions.d

CC       ?= cc
BUILD    ?= build
WARN     := -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes
# Warnings are errors in CI (CI=true) and whenever WERROR=1.
ifneq ($(filter true 1,$(CI) $(WERROR)),)
WARN += -Werror
endif
OPT      ?= -O2 -g
PKGS     := libmnl ncursesw
CFLAGS   ?=
CPPFLAGS += -D_GNU_SOURCE -DTCPDOC_VERSION='"$(VERSION)"' -Isrc
ALL_CFLAGS = -std=c11 $(OPT) $(WARN) $(CPPFLAGS) $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(CFLAGS)
# ncursesw is linked statically: only `watch` runs it, and as a shared library
# its loading and relocations cost every command about 0.5 MiB of resident
# memory (measured: a program linked with it peaks at 1.5 MiB, 1.0 MiB with
# the static archive). No libm for the same reason (0.4 MiB).
LIBS      = $(shell pkg-config --libs libmnl 2>/dev/null) \
	    -Wl,-Bstatic $(shell pkg-config --static --libs ncursesw 2>/dev/null) -Wl,-Bdynamic

LIB_SRC  := $(sort $(wildcard src/*/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
FIXTURES ?= $(abspath ../shared/fixtures)

# Debian packages the build and the tests need, keyed by a command or pkg-config name to probe.
DEB_PKGS := valgrind libmnl-dev libncurses-dev tmux check pkg-config iproute2 net-tools jq bats mandoc groff-base shellcheck python3 clang prometheus moreutils strace

.PHONY: all deps run check unit integration memcheck asan fuzz clean install uninstall format format-check lint bench soak

all: $(BUILD)/$(PROG)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libtcpdoc.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/$(PROG): $(BUILD)/src/main.o $(BUILD)/libtcpdoc.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/unit_tests: $(UNIT_SRC:%.c=$(BUILD)/%.o) $(BUILD)/libtcpdoc.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS) $(shell pkg-config --libs check 2>/dev/null)

$(BUILD)/sockzoo: tests/integration/sockzoo.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $<

$(BUILD)/scenario: tests/integration/scenario.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $<

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# Installs only what is missing; silent when everything is present.
deps:
	@./scripts/deps.sh $(DEB_PKGS)

run: deps
	@$(MAKE) --no-print-directory all
	./$(BUILD)/$(PROG) states

check: deps
	@$(MAKE) --no-print-directory all $(BUILD)/unit_tests $(BUILD)/sockzoo $(BUILD)/scenario
	$(MAKE) --no-print-directory unit integration memcheck lint
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS)
	$(MAKE) --no-print-directory asan

unit: $(BUILD)/unit_tests
	TCPDOC_FIXTURES=$(FIXTURES) CK_FORK=yes ./$(BUILD)/unit_tests

integration: $(BUILD)/$(PROG) $(BUILD)/sockzoo $(BUILD)/scenario
	TCPDOC=$(abspath $(BUILD)/$(PROG)) SOCKZOO=$(abspath $(BUILD)/sockzoo) \
	SCENARIO=$(abspath $(BUILD)/scenario) \
	TCPDOC_FIXTURES=$(FIXTURES) ./tests/integration/run.sh

# valgrind over the commands: leaks, uninitialised reads, invalid accesses.
memcheck: $(BUILD)/$(PROG)
	TCPDOC=$(abspath $(BUILD)/$(PROG)) TCPDOC_FIXTURES=$(FIXTURES) ./tests/memcheck/run.sh

# The whole suite under AddressSanitizer and UBSan, in its own build tree.
asan: deps
	$(MAKE) --no-print-directory BUILD=build-asan CC=clang \
		OPT='-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all' \
		all build-asan/unit_tests build-asan/sockzoo build-asan/scenario
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		$(MAKE) --no-print-directory BUILD=build-asan CC=clang \
		OPT='-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all' \
		unit integration

FUZZ_SECONDS ?= 20
# make check runs every fuzz target this long, so a parser regression fails it.
CHECK_FUZZ_SECONDS ?= 10
FUZZ_TARGETS := $(basename $(notdir $(wildcard tests/fuzz/fuzz_*.c)))
fuzz: deps
	@./tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Not part of check: needs root and minutes; BENCH_MAX=1000000 adds 1M sockets (about 4 GiB).
BENCH_MAX ?= 100000
bench: all
	@mkdir -p $(BUILD)/bench
	$(CC) $(ALL_CFLAGS) -o $(BUILD)/bench/farm bench/farm.c
	$(CC) $(ALL_CFLAGS) -o $(BUILD)/bench/floor bench/floor.c $(LIBS)
	$(CC) $(ALL_CFLAGS) -o $(BUILD)/bench/alternate bench/alternate.c
	TCPDOC=$(abspath $(BUILD)/$(PROG)) FLOOR=$(abspath $(BUILD)/bench/floor) \
	FARM=$(abspath $(BUILD)/bench/farm) ALTERNATE=$(abspath $(BUILD)/bench/alternate) \
	BENCH_MAX=$(BENCH_MAX) ./bench/run.sh

# Not part of check: watch --batch -d 0.1 over churning connections for SOAK_SECONDS
# (default 600): flat memory, no negative count. Needs root (a namespace of its own).
SOAK_SECONDS ?= 600
soak: all
	@mkdir -p $(BUILD)
	$(CC) $(ALL_CFLAGS) -o $(BUILD)/churn tests/soak/churn.c
	TCPDOC=$(abspath $(BUILD)/$(PROG)) CHURN=$(abspath $(BUILD)/churn) \
	SOAK_SECONDS=$(SOAK_SECONDS) ./tests/soak/run.sh

install: all
	install -Dm755 $(BUILD)/$(PROG) $(DESTDIR)$(BINDIR)/$(PROG)
	install -Dm644 man/tcpdoc.1 $(DESTDIR)$(MANDIR)/tcpdoc.1
	install -Dm644 completions/tcpdoc.bash $(DESTDIR)$(BASHCOMPDIR)/tcpdoc
	install -Dm644 completions/_tcpdoc $(DESTDIR)$(ZSHCOMPDIR)/_tcpdoc
	install -Dm644 completions/tcpdoc.fish $(DESTDIR)$(FISHCOMPDIR)/tcpdoc.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/$(PROG) $(DESTDIR)$(MANDIR)/tcpdoc.1 \
		$(DESTDIR)$(BASHCOMPDIR)/tcpdoc $(DESTDIR)$(ZSHCOMPDIR)/_tcpdoc \
		$(DESTDIR)$(FISHCOMPDIR)/tcpdoc.fish

FORMAT_FILES = $(shell find src tests bench -name '*.[ch]')
format:
	clang-format -i $(FORMAT_FILES)
format-check:
	clang-format --dry-run --Werror $(FORMAT_FILES)

# Documentation and scripts: the man page lint-clean, shell scripts clean.
lint:
	mandoc -Tlint -W warning man/tcpdoc.1
	groff -ww -mdoc -z man/tcpdoc.1
	shellcheck -S warning .ci/run scripts/*.sh completions/tcpdoc.bash tests/soak/run.sh bench/run.sh

clean:
	rm -rf build build-asan build-fuzz
