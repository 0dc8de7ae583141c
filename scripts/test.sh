#!/usr/bin/env bash
# Set up (system libraries, MNIST) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The layers are checked here: an import of a target that Package.swift does not list fails the build.
swift build -c release --build-tests --explicit-target-dependency-import-check error
VAEGAN_TEST_REQUIRE_ALL=1 swift test -c release --skip-build --disable-swift-testing
