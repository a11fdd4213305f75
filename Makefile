# The two commands a student needs:  make lesson-N   and   make test.
# Everything else passes through to CMake (neovim's top-level Makefile is
# the model): configure once into build/, then `cmake --build`.

BUILD_DIR      ?= build
ASAN_BUILD_DIR ?= build-asan
BUILD_TYPE     ?= RelWithDebInfo
CMAKE_EXTRA    ?=
GENERATOR      := $(if $(shell command -v ninja 2>/dev/null),Ninja,Unix Makefiles)
CTEST_JOBS     ?= 2

.PHONY: all build test test-main test-asan asan-build check-loop clean distclean help deps \
	grade handout autograder

all: build

help:
	@echo "make lesson-N    build lesson N, run it under mprun with tracing, draw its timeline"
	@echo "                 (ARGS=\"--seed 22\": the lesson's own; PY=1: its Python version)"
	@echo "make compare-N   lesson N in C above its Python version, one time scale, one picture"
	@echo "make trace-run CMD=\"ls -l\"  record any program and draw its timeline"
	@echo "make exercise-6a build your lessons/06-zombie/exercise-a.c, run it, draw it, score it"
	@echo "make grade       every exercise (EXERCISES=\"6a 7a\": those): a summary, results.json"
	@echo "make handout     the students' copy: everything but the reference solutions"
	@echo "make test        install what is missing, build, run every test (also under ASan+UBSan)"
	@echo "make build       configure (once) and build everything into $(BUILD_DIR)/"
	@echo "make bench       the runtime against raw system calls and Python's multiprocessing"
	@echo "make bench-lessons each lesson's own run time, untraced and recorded (RUNS=5)"
	@echo "make bench-read  the trace tools against a bare read of the same trace (10k to 1M events)"
	@echo "make check-loop  run the lesson and exercise tests 20 times (N=...), count the passes"
	@echo "make check-layout run every lesson 5 times (N=...), check each timeline's layout"
	@echo "make plots       run and draw every lesson; copy the timelines to docs/timelines/"
	@echo "make deps        install the Debian packages the suite needs"
	@echo "make clean       remove $(BUILD_DIR)/ and $(ASAN_BUILD_DIR)/"
	@echo "lessons: $(LESSONS)"
	@echo "exercises: $(EXERCISES_ALL)"

# Every lesson folder lessons/NN-name gives lesson-N and lesson-NN.
LESSONS := $(shell ls -d lessons/[0-9][0-9]-* 2>/dev/null | sed 's|lessons/0*\([0-9]*\)-.*|\1|')

# Installing packages is checked once per build directory.
$(BUILD_DIR)/.deps-ok: scripts/install-deps
	@scripts/install-deps
	@mkdir -p $(BUILD_DIR) && touch $@
deps: $(BUILD_DIR)/.deps-ok

$(BUILD_DIR)/CMakeCache.txt: | $(BUILD_DIR)/.deps-ok
	cmake -S . -B $(BUILD_DIR) -G "$(GENERATOR)" -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_EXTRA)

build: $(BUILD_DIR)/CMakeCache.txt
	@cmake --build $(BUILD_DIR)

# make lesson-N ARGS="--seed 22": the lesson's own arguments, passed on (and
# shown in the title).  PY=1: the lesson's Python version instead, recorded
# through the preload.  The lesson is checked first, so a wrong number costs
# nothing.
ARGS ?=
PY ?=
lesson-%:
	@n=$$(echo "$*" | sed 's/^0*\([0-9]\)/\1/'); \
	if ! echo " $(LESSONS) " | grep -q " $$n "; then \
		echo "make: there is no lesson '$*'; the lessons are: $(LESSONS)" >&2; exit 2; fi; \
	$(MAKE) --no-print-directory $(BUILD_DIR)/CMakeCache.txt && \
	name=$$(basename $$(ls -d lessons/$$(printf %02d $$n)-*/)); \
	notrace=$$(grep -q '^MP_TRACING:BOOL=OFF' $(BUILD_DIR)/CMakeCache.txt && echo --no-trace); \
	preload=mp-preload; [ -z "$$notrace" ] || preload=; \
	if [ -n "$(PY)" ]; then \
		cmake --build $(BUILD_DIR) --target recording-tools mp-preloadable $$preload && \
		scripts/lesson --build $(BUILD_DIR) $$notrace --python $$n $(ARGS); \
	else \
		cmake --build $(BUILD_DIR) --target $$name recording-tools && \
		scripts/lesson --build $(BUILD_DIR) $$notrace $$n $(BUILD_DIR)/lessons/$$name/$$name $(ARGS); \
	fi

# make compare-N: lesson N in C above its Python version, the same
# durations given to both, one time scale (build/lessons/N/compare.png).
# ARGS: for both; PYARGS: for the Python run only ("--start-method spawn").
PYARGS ?=
compare-%:
	@n=$$(echo "$*" | sed 's/^0*\([0-9]\)/\1/'); \
	if ! echo " $(LESSONS) " | grep -q " $$n "; then \
		echo "make: there is no lesson '$*'; the lessons are: $(LESSONS)" >&2; exit 2; fi; \
	$(MAKE) --no-print-directory build && \
	scripts/compare --build $(BUILD_DIR) --py-args "$(PYARGS)" $$n $(ARGS)

# make trace-run CMD="build/tests/interpose/lswc /usr/lib": any program,
# recorded and drawn into build/trace-run/NAME/.
CMD ?=
.PHONY: trace-run
trace-run: build
	@[ -n "$(CMD)" ] || { echo 'usage: make trace-run CMD="PROGRAM [ARG...]"' >&2; exit 2; }
	scripts/trace-run --build $(BUILD_DIR) -- $(CMD)

# Exercises: lessons/NN-name/exercise-X.c, graded from the trace by the
# checks in exercise-X.checks beside it (docs/teachers.md).
EXERCISES_ALL := $(shell ls lessons/[0-9][0-9]-*/exercise-[a-z].c 2>/dev/null | \
	sed 's|lessons/0*\([0-9]*\)-[^/]*/exercise-\([a-z]\)\.c|\1\2|')

# One exercise as a student runs it: its file built, run under mprun traced
# (the time limit and process cap its checks file sets), the timeline drawn
# with each failed check marked, the score table.
exercise-%: $(BUILD_DIR)/CMakeCache.txt
	@cmake --build $(BUILD_DIR) --target exercise-tools
	@scripts/exercise --build $(BUILD_DIR) $*

# Every exercise, or EXERCISES="6a 7a"; SUBMISSION=DIR grades a hand-in's
# files with this copy's checks; CHECKS=DIR adds a teacher's (DIR/6a.checks).
# Writes $(BUILD_DIR)/grade/results.json (Gradescope's format).
grade: $(BUILD_DIR)/CMakeCache.txt
	@cmake --build $(BUILD_DIR) --target exercise-tools
	@scripts/grade --build $(BUILD_DIR) $(if $(SUBMISSION),--submission $(SUBMISSION)) \
		$(if $(CHECKS),--extra $(CHECKS)) $(EXERCISES)

# The students' copy: what git tracks, less the reference solutions and
# their tests (tests/exercises/), as $(BUILD_DIR)/handout/ and a .tar.gz.
handout:
	@scripts/handout --out $(BUILD_DIR)/handout

# Gradescope's autograder.zip: the same copy, with setup.sh and
# run_autograder at its top and CHECKS=DIR (a teacher's) as extra-checks/.
autograder:
	@scripts/handout --gradescope --out $(BUILD_DIR)/handout $(if $(CHECKS),--extra $(CHECKS))

# The sanitizer build configures and compiles at the lowest priority while
# the main tests run (they mostly wait on sleeps and pipes: ~20% of two
# CPUs); its own tests run after them.  Its output: $(ASAN_BUILD_DIR)/build.log.
test: $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR)
	@mkdir -p $(ASAN_BUILD_DIR); \
	nice -n 19 $(MAKE) --no-print-directory asan-build >$(ASAN_BUILD_DIR)/build.log 2>&1 & build=$$!; \
	echo "(building $(ASAN_BUILD_DIR)/ meanwhile, at the lowest priority: $(ASAN_BUILD_DIR)/build.log)"; \
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(CTEST_JOBS); main=$$?; \
	if ! wait $$build; then cat $(ASAN_BUILD_DIR)/build.log; exit 2; fi; \
	ctest --test-dir $(ASAN_BUILD_DIR) --output-on-failure -j $(CTEST_JOBS) -L 'unit|lesson'; asan=$$?; \
	[ $$main -eq 0 ] && [ $$asan -eq 0 ]

test-main: $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR)
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(CTEST_JOBS)

# The unit and lesson tests again, built with AddressSanitizer and UBSan.
$(ASAN_BUILD_DIR)/CMakeCache.txt: | $(BUILD_DIR)/.deps-ok
	cmake -S . -B $(ASAN_BUILD_DIR) -G "$(GENERATOR)" -DCMAKE_BUILD_TYPE=Debug -DMP_SANITIZE=ON $(CMAKE_EXTRA)

asan-build: $(ASAN_BUILD_DIR)/CMakeCache.txt
	cmake --build $(ASAN_BUILD_DIR)

test-asan: asan-build
	ctest --test-dir $(ASAN_BUILD_DIR) --output-on-failure -j $(CTEST_JOBS) -L 'unit|lesson'

# Every lesson run and drawn as lesson-N does, its timeline copied to
# docs/timelines/lesson-N.png with a thumbnail in docs/timelines/small/.
.PHONY: plots
plots: $(BUILD_DIR)/CMakeCache.txt
	@scripts/plots --build $(BUILD_DIR)

# Repeats the timing-sensitive tests (lttng-ust keeps such a target too).
check-loop: $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR)
	tests/check-loop.sh $(BUILD_DIR) $(or $(N),20)

# Every lesson run N times (5), each timeline checked: no text over a text
# or a mark, nothing cut, at most two footnotes, lines in print order.
.PHONY: check-layout
check-layout: $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR)
	tests/layout/fresh-runs.sh $(BUILD_DIR) $(or $(N),5)

clean:
	rm -rf $(BUILD_DIR) $(ASAN_BUILD_DIR)
distclean: clean

# The runtime against the bare system calls and Python's multiprocessing,
# side by side (tests/bench/, scripts/bench).  BENCH_ARGS=--quick: a smoke test.
BENCH_ARGS ?=
.PHONY: bench
bench: $(BUILD_DIR)/CMakeCache.txt
	@cmake --build $(BUILD_DIR) --target bench-programs
	scripts/bench --build $(BUILD_DIR) $(BENCH_ARGS)
	@echo "The trace tools against a bare read of the same trace: make bench-read"

# The trace tools (timeline, trace-json, trace-check) against babeltrace2's
# own read of the same traces, 10k to 1M events (scripts/bench-read).
# BENCH_READ_ARGS=--quick: a smoke test.
BENCH_READ_ARGS ?=
.PHONY: bench-read
bench-read: $(BUILD_DIR)/CMakeCache.txt
	@cmake --build $(BUILD_DIR) --target bench-read-programs
	scripts/bench-read --build $(BUILD_DIR) $(BENCH_READ_ARGS)

# Each lesson's own run, untraced and recorded, median of RUNS runs each
# (scripts/bench-lessons).
RUNS ?= 5
.PHONY: bench-lessons
bench-lessons: build
	scripts/bench-lessons --build $(BUILD_DIR) --runs $(RUNS)
