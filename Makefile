# Convenience targets over CMake. `make demo` and `make test` do all the
# set-up on a fresh Debian 12 machine (missing packages are installed).
BUILD   ?= build
JOBS    ?= $(shell nproc)
PREFIX  ?= /usr/local
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo -DINVLOG_WERROR=ON
# ccache, when present, shares compiled objects between build trees.
LAUNCHER := $(if $(shell command -v ccache),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true

FUZZ_SECONDS ?= 60
ASAN_BUILD ?= build-asan
SANITIZE_FLAGS = -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DINVLOG_SANITIZE=ON \
  -DINVLOG_FUZZ=ON -DINVLOG_WERROR=ON

.PHONY: all deps configure build test test-fast configure-asan test-asan fuzz bench demo install package clean screenshots \
  golden format format-check tidy

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS) $(LAUNCHER) -DCMAKE_INSTALL_PREFIX=$(PREFIX)

build: configure
	cmake --build $(BUILD) -j$(JOBS)

# Every test: the normal build (GCC); then one clang build with ASan and
# UBSan, whose objects are also instrumented for libFuzzer: the same tests
# again there (but the checks of the tree), and each fuzz target for 20
# seconds. Two builds, not three: clang compiles the sanitizers several
# times faster than GCC, and the fuzz targets need no tree of their own.
test: test-fast test-asan
	FUZZ_BUILD=$(ASAN_BUILD) scripts/fuzz.sh 20

test-fast: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

# The sanitized tree, which test-asan and fuzz (scripts/fuzz.sh) share.
configure-asan: deps
	cmake -S . -B $(ASAN_BUILD) $(SANITIZE_FLAGS) $(LAUNCHER)

# Optimised (-O2) so that the sanitised end-to-end tests stay quick. Left to
# the normal build: the checks of the tree (label tree) and the tests that
# repeat the same commands thousands of times (label repeat; see
# tests/CMakeLists.txt).
test-asan: configure-asan
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j$(JOBS) -LE 'tree|repeat'


# Benchmarks in a Release build; the table goes to BENCHMARKS.md.
bench: deps
	cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DINVLOG_BENCH=ON -DINVLOG_TESTS=OFF $(LAUNCHER)
	cmake --build build-release -j$(JOBS) --target invlog invlog_http plain_insert http_load durable_commits
	/usr/bin/python3 bench/bench.py --bin build-release/invlog --plain build-release/plain_insert \
	  --load build-release/http_load --durable build-release/durable_commits $(BENCH_ARGS)

# The README's pictures of the dashboard, taken by its browser test.
screenshots: build
	rm -rf $(BUILD)/screenshots
	DASHBOARD_OUT=$(CURDIR)/$(BUILD)/screenshots INVLOG_BIN=$(CURDIR)/$(BUILD)/invlog bash tests/e2e/test_dashboard.sh
	cp $(BUILD)/screenshots/overview.png docs/dashboard-overview.png
	cp $(BUILD)/screenshots/sku.png docs/dashboard-sku.png

# The golden CLI tests (tests/golden/README.md); GOLDEN_UPDATE=1 rewrites the
# expected files from today's output, for review with git diff.
golden: build
	INVLOG_BIN=$(CURDIR)/$(BUILD)/invlog INVLOG_SOURCE_DIR=$(CURDIR) bash tests/e2e/test_golden.sh

# The C++ sources laid out by .clang-format; format-check changes nothing,
# names every file that format would change and then fails. tidy runs .clang-tidy's
# checks over the build's compile_commands.json (TIDY_FILES: a regex of the
# files, default every source under src/).
FORMAT_FILES = $(shell git ls-files 'src/*.cpp' 'src/*.hpp' 'include/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp')
TIDY_FILES ?= $(CURDIR)/src/.*\.cpp$$

format:
	clang-format -i $(FORMAT_FILES)

format-check:
	clang-format --dry-run -Werror $(FORMAT_FILES)

tidy: configure
	run-clang-tidy -p $(BUILD) -j$(JOBS) -quiet '$(TIDY_FILES)'

fuzz: configure-asan
	FUZZ_BUILD=$(ASAN_BUILD) scripts/fuzz.sh $(FUZZ_SECONDS)

demo: build
	scripts/demo.sh $(BUILD)/invlog

# Stripped: the installed binary has no debugging symbols (the build tree's
# keeps them).
install: build
	cmake --install $(BUILD) --prefix $(PREFIX) --strip

# Two .debs in $(BUILD): invlog_VERSION_ARCH.deb and invlog-mongo_VERSION_ARCH.deb
# (needs dpkg-dev, which `make deps` installs). tests/e2e/test_package.sh
# builds the same and runs lintian on them.
package: build
	cd $(BUILD) && cpack -G DEB

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-release
