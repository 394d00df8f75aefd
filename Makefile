# pvbench: benchmark and conformance harness for Xen and its PV drivers.
# `make` builds build/pvbench and the guest-side programs; `make check` runs the
# include rules, the unit tests and a real boot; `make demo` runs the main job end
# to end.

CC      ?= gcc
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -Wall -Wextra -Werror -Wno-format-truncation -Iharness/include
DEPFLAGS := -MMD -MP
LDLIBS  := -ljansson -linih -lgsl -lgslcblas -lm
B       := build

HOST_SRC  := $(wildcard harness/src/*/*.c) $(wildcard workloads/*.c) $(wildcard workloads/*/*.c) $(wildcard drivers/*/*.c)
HOST_OBJ  := $(patsubst %.c,$(B)/obj/%.o,$(HOST_SRC))
LIB_OBJ   := $(filter-out $(B)/obj/harness/src/cmd/main.o,$(HOST_OBJ))
TESTS     := $(patsubst harness/tests/%.c,$(B)/tests/%,$(wildcard harness/tests/check_*.c))
GUEST     := $(B)/guest/pvbench-agent $(B)/guest/pvbench-hotplug $(patsubst workloads/%/guest/main.c,$(B)/guest/pvbench-%,$(wildcard workloads/*/guest/main.c)) \
             $(patsubst drivers/%/guest/main.c,$(B)/guest/pvbench-%,$(wildcard drivers/*/guest/main.c))
DEPS_STAMP := $(B)/.deps-build

.PHONY: all deps images check layers unit-check integration-check demo bench-boot bench-precision check-scenarios clean fuzz format readme-options

all: $(B)/pvbench $(GUEST)

# Packages are checked once per clean tree (ci/install-deps is idempotent).
$(DEPS_STAMP): ci/install-deps
	@mkdir -p $(B)
	ci/install-deps build test
	@touch $@
deps: ; ci/install-deps

$(B)/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(B)/libpvbench.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/pvbench: $(B)/obj/harness/src/cmd/main.o $(B)/libpvbench.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# Guest-side programs run in dom0 and domUs (Debian 12 userland, same as the host).
$(B)/guest/pvbench-agent: harness/agent/pvbench-agent.c harness/src/machine/proto.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ -lxenvchan -lxenstore
$(B)/guest/pvbench-hotplug: hypervisor/pvbench-hotplug.c harness/include/pvbench/hotplug.h | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< -lxenstore
# Every .c of the program's guest/ folder is compiled; the headers it may include
# (its guest/*.h, the *.h shared with the host side, guest_cli.h) trigger a rebuild.
.SECONDEXPANSION:
GUEST_HDRS := harness/include/pvbench/guest_cli.h
$(B)/guest/pvbench-%: workloads/%/guest/*.c $$(wildcard workloads/$$*/guest/*.h) $(wildcard workloads/*/*.h) \
		$(GUEST_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $(filter %.c,$^) -lxenvchan -lxenstore -lxenevtchn -lm
$(B)/guest/pvbench-%: drivers/%/guest/*.c $$(wildcard drivers/$$*/guest/*.h drivers/$$*/*.h) \
		$(GUEST_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $(filter %.c,$^) -lxenstore -lxenevtchn -lxengnttab -lm

$(B)/tests/%: harness/tests/%.c $(B)/libpvbench.a $(B)/guest/pvbench-agent
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(B)/libpvbench.a $(LDLIBS) $(shell pkg-config --libs check)

images: all
	ci/install-deps images
	$(B)/pvbench images

# Every Check binary runs even if one fails; the browser test skips (77) without Chromium.
unit-check: $(TESTS) $(B)/pvbench
	@fail=0; for t in $(TESTS); do echo "== $$t"; CK_DEFAULT_TIMEOUT=120 $$t || fail=1; done; \
	echo "== harness/tests/report-browser.sh"; harness/tests/report-browser.sh; rc=$$?; \
	[ $$rc -eq 0 ] || [ $$rc -eq 77 ] || fail=1; exit $$fail

integration-check: all
	ci/install-deps images run
	$(B)/pvbench images
	harness/tests/integration.sh

# The include rules of harness/README.md ("Folders and what they may include").
layers:
	ci/check-layers

check: layers unit-check integration-check

# README.md's command section, between its options:begin and options:end lines, from
# the commands' option tables (build/pvbench --help-markdown); check_cli fails when
# the two differ.
readme-options: $(B)/pvbench
	grep -q '^<!-- options:begin' README.md && grep -q '^<!-- options:end -->' README.md
	$(B)/pvbench --help-markdown > $(B)/readme-options.md
	awk -v gen=$(B)/readme-options.md '/^<!-- options:end -->/ { skip = 0 } !skip { print } \
		/^<!-- options:begin/ { while ((getline l < gen) > 0) print l; skip = 1 }' \
		README.md > README.md.tmp
	mv README.md.tmp README.md

# The main job end to end: packages, images, Xen boot, the blk-mq scenario, a report.
DEMO_DIR ?= $(B)/runs/demo-$(shell date -u +%Y%m%d-%H%M%S)
demo: all
	ci/install-deps build images run report
	$(B)/pvbench images
	$(B)/pvbench run scenarios/blk-mq.ini -o $(DEMO_DIR) || test $$? -eq 1
	$(B)/pvbench report $(DEMO_DIR) -o $(DEMO_DIR)/report
	@echo "report: $(DEMO_DIR)/report/report.html (and report.md)"

bench-boot: all
	ci/install-deps images run
	$(B)/pvbench images
	$(B)/pvbench boot --repeat 3

# Every shipped scenario, short, under both clocks (about 30 min here).
check-scenarios: all
	ci/install-deps images run
	$(B)/pvbench images
	harness/tests/scenarios-both-clocks.sh

# icount figures between runs and under host load (harness/bench/precision.sh;
# PRECISION="blk-mq:1q" narrows it; about 5 minutes per scenario here).
bench-precision: all
	ci/install-deps images run
	$(B)/pvbench images
	harness/bench/precision.sh $(PRECISION)

fuzz:
	harness/fuzz/run.sh

format:
	clang-format -i $(HOST_SRC) harness/agent/*.c harness/tests/*.c harness/include/pvbench/*.h

# The simulated verdict figures of reports/README.md, "Sized repetitions
# (repetitions = auto)": no QEMU, about 4 minutes on one core.
.PHONY: bench-verdict
$(B)/bench/verdict_sim: harness/bench/verdict_sim.c $(B)/libpvbench.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(B)/libpvbench.a $(LDLIBS)
bench-verdict: $(B)/bench/verdict_sim
	$(B)/bench/verdict_sim

clean:
	rm -rf $(B)/obj $(B)/tests $(B)/guest $(B)/pvbench $(B)/libpvbench.a $(DEPS_STAMP)

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
