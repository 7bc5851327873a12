# lab — build the `lab` executable and its test builds.
#
#   make            ./lab (optimized) — finds or installs re2c first
#   make test       builds ./lab, the debug build and the test runner, runs tests/
#   make asan       build/asan/lab under AddressSanitizer + UBSan
#   make test-asan  the test suite against the sanitized build
#   make fuzz-parse the front end's mutation fuzzer, FUZZ_SECONDS (default 60)
#   make bench      the benchmark suite, both modes beside CPython, C, Rust
#   make bench-compile  native's compile phases on generated 1k/10k/100k-line programs
#   make results    regenerate docs/results.md and docs/results.svg
#   make fuzz       the libFuzzer harnesses, FUZZ_SECONDS each (docs/reliability.md)
#   make difftest   N generated programs in both modes, compared (N, SEED, JOBS)
#   make faults     the fault table of docs/reliability.md, re-run and checked
#   make view-shots  refresh docs/view/*.png from the browser test of lab view
#   make autograder  build/autograder.zip for Gradescope (EXERCISES="3" for one)
#   make clean
#
# Every .c file under compiler/'s stages (front, bytecode, check, native,
# lab: docs/architecture.md), vm/ and runtime/ is part of the lab; the lexer
# is generated from compiler/front/lexer.re into build/gen/lexer.c.

CC      ?= cc
RE2C    ?= $(shell sh compiler/tools/find-re2c.sh)
WARN    := -std=c11 -Wall -Wextra -Werror
DEFS    := -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L
STAGES  := front bytecode check native lab
INCS    := $(addprefix -Icompiler/,$(STAGES)) -Ivm -Iruntime -Ibuild/gen
SRCS    := $(wildcard $(addsuffix /*.c,$(addprefix compiler/,$(STAGES))) vm/*.c runtime/*.c) \
           build/gen/lexer.c build/gen/rt_embed.c build/gen/view_embed.c
LIBS    := -lm -pthread -ldl

REL_FLAGS   := -O2 -g
DEBUG_FLAGS := -O1 -g -DLAB_DEBUG
COUNTED_FLAGS := -O2 -g -DLAB_COUNTED
FT_FLAGS    := -O2 -g -DLAB_FT
ASAN_FLAGS  := -O1 -g -DLAB_DEBUG -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
TSAN_FLAGS  := -O1 -g -fsanitize=thread
STRESS_FLAGS := $(ASAN_FLAGS) -DLAB_STRESS

# Parallel by default (one job per CPU) unless -j was given; quiet unless
# V=1: a line per file made (`  CC      build/release/vm/vm.o`), not the
# whole command.
ifeq (,$(filter -j%,$(MAKEFLAGS)))
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)
endif
V ?= 0
ifeq ($(V),0)
Q   := @
say = $(if $(findstring s,$(firstword -$(MAKEFLAGS))),,printf '  %-7s %s\n' '$(1)' '$(2)';)
else
Q   :=
say =
endif

all: lab build/counted/lab build/ft/lab build/ft-counted/lab

build/gen/lexer.c: compiler/front/lexer.re
	@mkdir -p build/gen
	$(Q)$(call say,RE2C,$@)$(RE2C) -W --no-generation-date -o $@ $<

# The native runtime's sources, carried inside ./lab (compiler/native/native.c writes
# them to the cache and compiles them once). runtime/native/FILES lists them.
RT_FILES := $(shell cat runtime/native/FILES 2>/dev/null)
build/embed: compiler/tools/embed.c
	@mkdir -p build
	$(Q)$(call say,CC,$@)$(CC) $(WARN) -O2 -o $@ $<
build/gen/rt_embed.c: build/embed runtime/native/FILES $(RT_FILES)
	@mkdir -p build/gen
	$(Q)$(call say,EMBED,$@)build/embed $@ $(foreach f,$(RT_FILES),$(notdir $(f))=$(f))
runtime/native/FILES:
	@mkdir -p runtime/native
	@touch $@

# The page `lab view` writes (compiler/lab/view.c): its HTML, CSS and
# JavaScript, carried inside ./lab as the runtime's sources are.
VIEW_FILES := $(wildcard compiler/lab/view/*)
build/gen/view_embed.c: build/embed $(VIEW_FILES)
	@mkdir -p build/gen
	$(Q)$(call say,EMBED,$@)build/embed -p lab_view $@ $(foreach f,$(VIEW_FILES),$(notdir $(f))=$(f))

# $(call variant,NAME,FLAGS): objects in build/NAME, executable build/NAME/lab
define variant
build/$(1)/%.o: %.c build/gen/lexer.c build/gen/rt_embed.c build/gen/view_embed.c
	@mkdir -p $$(dir $$@)
	$$(Q)$$(call say,CC,$$@)$$(CC) $$(WARN) $$(DEFS) $$(INCS) $(2) -MMD -MP -c $$< -o $$@
build/$(1)/lab: $$(patsubst %.c,build/$(1)/%.o,$$(SRCS))
	$$(Q)$$(call say,LD,$$@)$$(CC) $(2) -o $$@ $$^ $$(LIBS)
-include $$(patsubst %.c,build/$(1)/%.d,$$(SRCS))
endef
$(eval $(call variant,release,$(REL_FLAGS)))
$(eval $(call variant,debug,$(DEBUG_FLAGS)))
$(eval $(call variant,asan,$(ASAN_FLAGS)))
# ThreadSanitizer (docs/threads.md): `make test-tsan` runs the thread tests.
$(eval $(call variant,tsan,$(TSAN_FLAGS)))
# The stress build: ASan, and a full cycle collection after every container
# allocation (vm/gc.h, LAB_STRESS). `make test-stress`.
$(eval $(call variant,stress,$(STRESS_FLAGS)))
# The counted build: the VM's counters for `lab run --stats` (vm/counters.h).
# ./lab re-executes it for interp --stats, so ./lab itself counts nothing.
$(eval $(call variant,counted,$(COUNTED_FLAGS)))
# The free-threaded build (docs/free-threading.md, vm/refcount.c): ./lab
# re-executes it for --rc=atomic|biased, and its counted twin for --stats.
$(eval $(call variant,ft,$(FT_FLAGS)))
$(eval $(call variant,ft-counted,$(COUNTED_FLAGS) -DLAB_FT))
$(eval $(call variant,ft-debug,$(DEBUG_FLAGS) -DLAB_FT))
$(eval $(call variant,ft-asan,$(ASAN_FLAGS) -DLAB_FT))
$(eval $(call variant,ft-tsan,$(TSAN_FLAGS) -DLAB_FT))

# Replaced by rename, so a rebuild works while ./lab is running.
lab: build/release/lab
	$(Q)$(call say,CP,$@)cp $< $@.tmp && mv -f $@.tmp $@

# The object model's unit test links the debug build's vm/ and runtime/ objects.
OBJ_UNIT_DEPS := $(patsubst %.c,build/debug/%.o,$(wildcard vm/*.c runtime/*.c))
build/debug/test_object: tests/unit/test_object.c $(OBJ_UNIT_DEPS)
	$(Q)$(call say,CC,$@)$(CC) $(WARN) $(DEFS) $(INCS) $(DEBUG_FLAGS) -o $@ $^ $(LIBS)

build/runner: tests/runner.c
	@mkdir -p build
	$(Q)$(call say,CC,$@)$(CC) $(WARN) $(DEFS) -O2 -o $@ $<

asan: build/asan/lab

# The front end's mutation fuzzer (tests/fuzz/fuzz_parse.c), under ASan + UBSan.
FUZZ_SRCS := tests/fuzz/fuzz_parse.c $(filter-out compiler/lab/main.c,$(SRCS))
FUZZ_SECONDS ?= 60
build/fuzz_parse: $(FUZZ_SRCS) $(wildcard compiler/*/*.h vm/*.h runtime/*.h)
	$(CC) $(WARN) $(DEFS) $(INCS) $(ASAN_FLAGS) -o $@ $(FUZZ_SRCS) $(LIBS)

fuzz-parse: build/fuzz_parse
	build/fuzz_parse -t $(FUZZ_SECONDS) -s 1 -o build tests/fuzz/corpus tests/syntax examples

# The suite runs every test in each mode of MODES; native executables are
# cached in build/cache (not in ~/.cache), so `make clean` starts afresh.
MODES    ?= interp,native,hybrid
TEST_ENV := XDG_CACHE_HOME=$(CURDIR)/build/cache

# tests/all.sh runs the stages (each announced as it starts) and ends with
# one line: `PASS: N passed, 0 failed, N skipped` or `FAIL: …`.
test: lab build/counted/lab build/ft/lab build/ft-counted/lab build/ft-debug/lab build/debug/lab build/debug/test_object build/runner build/nrt-release/stamp build/nrt-asan/stamp
	@$(TEST_ENV) MODES=$(MODES) sh tests/all.sh

# The screenshots of docs/view.md: the browser test's, copied over.
view-shots: lab build/counted/lab
	$(TEST_ENV) sh tests/view/run.sh ./lab build/view
	cp build/view/fib.png build/view/fib-figures.png build/view/ownership.png build/view/ownership-dark.png \
	   build/view/cycles.png build/view/cycles-figures.png build/view/cycles-stepper.png \
	   build/view/aliasing-stepper.png build/view/hybrid-figures.png docs/view/

# The instructor's check of the course: every reference solution and starter
# must be there (make test skips, with a note, what a student copy lacks).
test-course: lab build/counted/lab
	$(TEST_ENV) sh tests/exercises/check.sh --strict ./lab

# Under the sanitizers: the lab itself, and (LAB_CFLAGS) every native program.
test-asan: build/asan/lab build/ft-asan/lab build/counted/lab build/runner
	$(TEST_ENV) LAB_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined" \
	  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 build/runner --lab build/asan/lab --debug-lab build/asan/lab \
	  --modes $(MODES) tests examples
	$(TEST_ENV) sh tests/robust/inputs.sh build/asan/lab
	$(TEST_ENV) LAB_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined" \
	  ASAN_OPTIONS=detect_leaks=1 sh tests/native/split.sh build/asan/lab
	for flag in --rc=atomic --rc=biased --gil=off; do $(TEST_ENV) ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
	  build/runner --lab build/ft-asan/lab --debug-lab build/ft-asan/lab --modes interp --run-flag $$flag \
	  tests examples || exit 1; done

# The suite against the stress build (Lua's HARDMEMTESTS): interp collects
# every generation after every container allocation, native programs run
# the counted runtime with freed blocks filled with 0xdb, all under ASan +
# UBSan. Tests whose output depends on when the collector runs say
# `// stress: skip`.
test-stress: build/stress/lab build/counted/lab build/runner
	$(TEST_ENV) LAB_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -DRT_STRESS" \
	  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 build/runner --lab build/stress/lab \
	  --debug-lab build/stress/lab --modes $(MODES) --stress tests examples

# The thread tests and examples under ThreadSanitizer, in every mode (native
# programs and hybrid libraries are compiled with -fsanitize=thread through
# LAB_CFLAGS); hybrid's nogil threads run compiled code beside the VM's.
test-tsan: build/tsan/lab build/ft-tsan/lab build/runner
	$(TEST_ENV) LAB_CFLAGS="-fsanitize=thread" TSAN_OPTIONS=halt_on_error=1 \
	  build/runner --lab build/tsan/lab --modes $(MODES) -j 1 tests/threads examples/threads tests/runtime/threads_many.toy \
	  tests/hybrid/nogil.toy examples/lessons/hybrid.toy
	for flag in --rc=atomic --rc=biased --gil=off; do $(TEST_ENV) TSAN_OPTIONS=halt_on_error=1 build/runner \
	  --lab build/ft-tsan/lab --modes interp -j 1 --run-flag $$flag tests/threads examples/threads \
	  tests/runtime/threads_many.toy || exit 1; done

# The benchmark suite (compiler/lab/bench.c, docs/benchmarks.md): both modes
# beside CPython, C and Rust. BENCH_ARGS, e.g. BENCH_ARGS="-n 9 fib sum".
bench: lab
	./lab bench $(BENCH_ARGS)

# docs/results.md and its chart: every claim of issue 7 beside a measurement.
# Native mode's compile phases on 1k, 10k and 100k generated lines (issue 20).
# Gradescope's autograder zip (docs/instructor.md): EXERCISES="3" grades one.
autograder:
	sh compiler/tools/make-autograder.sh build/autograder.zip $(EXERCISES)

bench-compile: lab
	$(TEST_ENV) sh tests/bench/compile.sh ./lab

# 11 rounds: on this shared machine one executable's time moves by up to 40%
# from one run to the next, and 5 or 7 left the medians at its mercy.
results: lab
	./lab bench -n 11 --markdown docs/results.md --svg docs/results.svg $(BENCH_ARGS)
	sh tests/bench/boundary.sh --markdown ./lab >> docs/results.md

# Issue 6's figures: threads in both modes (docs/threads.md).
bench-threads: all
	sh tests/bench/threads.sh ./lab

# What the native runtime's counting costs: tests/bench/counting.sh.
bench-counting: all
	$(TEST_ENV) sh tests/bench/counting.sh ./lab

# Issue 5's figures: sum's counts in both modes, binary trees' GC share.
figures: all
	sh tests/bench/figures.sh

clean:
	rm -rf build lab


.PHONY: all autograder test asan test-asan test-tsan test-stress test-course view-shots bench-counting bench-compile fuzz-parse bench bench-threads results figures clean

# ---- the native runtime's own tests (tests/native/) ---------------------------
# The files of runtime/native/FILES are copied flat into build/nrt-VARIANT/src,
# as lab's cache holds them, and compiled from there only: this proves the
# runtime builds standalone. test_toyrt must pass with LAB_CHECK_LEAKS set;
# test_unchecked links a runtime built with -DRT_UNCHECKED.
NRT_FILES := $(shell cat runtime/native/FILES 2>/dev/null)
NRT_TESTS := tests/native/test_toyrt.c tests/native/test_unchecked.c tests/native/bench_push.c
# $(call nrt_variant,NAME,FLAGS)
define nrt_variant
build/nrt-$(1)/stamp: runtime/native/FILES $(NRT_FILES) $(NRT_TESTS)
	$$(Q)rm -rf build/nrt-$(1) && mkdir -p build/nrt-$(1)/src
	$$(Q)cp $(NRT_FILES) build/nrt-$(1)/src/
	$$(Q)$$(call say,CC,build/nrt-$(1)/test_toyrt)$$(CC) $$(WARN) $$(DEFS) $(2) -Ibuild/nrt-$(1)/src \
	  -o build/nrt-$(1)/test_toyrt tests/native/test_toyrt.c build/nrt-$(1)/src/*.c $$(LIBS)
	$$(Q)$$(call say,CC,build/nrt-$(1)/test_unchecked)$$(CC) $$(WARN) $$(DEFS) $(2) -DRT_UNCHECKED \
	  -Ibuild/nrt-$(1)/src -o build/nrt-$(1)/test_unchecked tests/native/test_unchecked.c build/nrt-$(1)/src/*.c $$(LIBS)
	$$(Q)touch $$@
endef
# release: the counted runtime (RT_COUNTED), its counts and leak check tested;
# asan: the uncounted one, as plain runs link it (LeakSanitizer finds leaks).
$(eval $(call nrt_variant,release,-O2 -DRT_COUNTED))
$(eval $(call nrt_variant,asan,$(ASAN_FLAGS)))

test-native-rt: build/nrt-release/stamp build/nrt-asan/stamp
	LAB_CHECK_LEAKS=1 build/nrt-release/test_toyrt
	build/nrt-release/test_unchecked
	LAB_CHECK_LEAKS=1 ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 build/nrt-asan/test_toyrt
	ASAN_OPTIONS=detect_leaks=1 build/nrt-asan/test_unchecked

# The 10M-push benchmark of the native list against a plain C array.
bench-native-rt: build/nrt-release/stamp
	$(CC) $(WARN) $(DEFS) -O2 -Ibuild/nrt-release/src -o build/nrt-release/bench_push \
	  tests/native/bench_push.c build/nrt-release/src/*.c $(LIBS)
	$(CC) $(WARN) $(DEFS) -O2 -DRT_UNCHECKED -Ibuild/nrt-release/src -o build/nrt-release/bench_push_unchecked \
	  tests/native/bench_push.c build/nrt-release/src/*.c $(LIBS)
	build/nrt-release/bench_push
	build/nrt-release/bench_push_unchecked

.PHONY: test-native-rt bench-native-rt

# ---- libFuzzer harnesses (tests/fuzz/lf/, docs/reliability.md) ---------------
# clang -fsanitize=fuzzer,address,undefined; the lab's objects are built once
# in build/fuzz with -DLAB_FUZZ (vm/vm.c's step budget). `make fuzz` runs each
# harness FUZZ_SECONDS (default 60) from a copy of its committed seed corpus
# (tests/fuzz/lf/corpus/NAME) in build/fuzz/corpus-NAME; a crash is written to
# build/fuzz/ as crash-*. FUZZ_JOBS harnesses run at once (default 1).
FUZZ_CC     ?= clang
FUZZ_CFLAGS := -O1 -g -DLAB_FUZZ -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
               -fno-sanitize-recover=undefined
FUZZ_NAMES  := front check vm vm_ft
FUZZ_OBJS   := $(patsubst %.c,build/fuzz/%.o,$(filter-out compiler/lab/main.c,$(SRCS)))
FUZZ_OPTS_front :=
FUZZ_OPTS_check :=
FUZZ_OPTS_vm    := -close_fd_mask=3 -rss_limit_mb=2048 -timeout=10
build/fuzz/%.o: %.c build/gen/lexer.c build/gen/rt_embed.c build/gen/view_embed.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(WARN) $(DEFS) $(INCS) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@
-include $(FUZZ_OBJS:.o=.d)
build/fuzz/fuzz_%: tests/fuzz/lf/fuzz_%.c tests/fuzz/lf/lf_common.h $(FUZZ_OBJS)
	$(FUZZ_CC) $(WARN) $(DEFS) $(INCS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) $(LIBS)

# vm_ft: the same harness against the free-threaded build with the GIL off
# (issue 21), its objects in build/fuzz-ft.
FUZZ_FT_OBJS := $(patsubst %.c,build/fuzz-ft/%.o,$(filter-out compiler/lab/main.c,$(SRCS)))
build/fuzz-ft/%.o: %.c build/gen/lexer.c build/gen/rt_embed.c build/gen/view_embed.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(WARN) $(DEFS) $(INCS) $(FUZZ_CFLAGS) -DLAB_FT -MMD -MP -c $< -o $@
-include $(FUZZ_FT_OBJS:.o=.d)
build/fuzz/fuzz_vm_ft: tests/fuzz/lf/fuzz_vm.c tests/fuzz/lf/lf_common.h $(FUZZ_FT_OBJS)
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(WARN) $(DEFS) $(INCS) $(FUZZ_CFLAGS) -DLAB_FT -fsanitize=fuzzer -o $@ $< $(FUZZ_FT_OBJS) $(LIBS)

.SECONDARY: $(FUZZ_OBJS) $(FUZZ_FT_OBJS)
fuzz-build: $(addprefix build/fuzz/fuzz_,$(FUZZ_NAMES))

fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(or $(FUZZ_JOBS),1) sh tests/fuzz/lf/run.sh $(FUZZ_NAMES)

.PHONY: fuzz fuzz-build

# ---- differential testing (tests/gen/, docs/reliability.md) ------------------
# `make difftest N=1000 SEED=1 JOBS=2`: N generated programs, both modes, any
# difference minimized and reported (INTERP_FLAGS=--gil=off: interp without
# the GIL); `make difftest-probes` the soundness probes.
N     ?= 200
SEED  ?= 1
JOBS  ?= 2
build/gen/gen: tests/gen/gen.c
	@mkdir -p build/gen
	$(CC) $(WARN) -O2 -o $@ $<
difftest: lab build/gen/gen
	$(TEST_ENV) INTERP_FLAGS="$(INTERP_FLAGS)" nice -n 10 sh tests/gen/difftest.sh -n $(N) -s $(SEED) -j $(JOBS)
difftest-probes: lab build/gen/gen
	$(TEST_ENV) nice -n 10 sh tests/gen/difftest.sh -p -n $(N) -s $(SEED) -j $(JOBS) -o build/difftest-probes
.PHONY: difftest difftest-probes

# ---- the fault table (tests/fault/faults.sh, docs/reliability.md) ------------
faults: lab
	sh tests/fault/faults.sh --check ./lab >/dev/null
faults-doc: lab
	sh tests/fault/faults.sh ./lab > build/faults-table.md
	awk 'FNR == NR { t = t $$0 "\n"; next } /<!-- faults:end -->/ { printf "%s", t; skip = 0 } !skip { print } /<!-- faults:begin -->/ { skip = 1 }' \
	  build/faults-table.md docs/reliability.md > build/reliability.md && mv build/reliability.md docs/reliability.md
.PHONY: faults faults-doc
