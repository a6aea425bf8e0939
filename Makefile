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

.PHONY: all deps configure build test demo install package clean

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS) $(LAUNCHER) -DCMAKE_INSTALL_PREFIX=$(PREFIX)

build: configure
	cmake --build $(BUILD) -j$(JOBS)

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

demo: build
	scripts/demo.sh $(BUILD)/invlog

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

# A .deb in $(BUILD) (needs dpkg-dev, which `make deps` installs).
package: build
	cd $(BUILD) && cpack -G DEB

clean:
	rm -rf $(BUILD)
