#!/usr/bin/env bash
# Set up (system libraries, MNIST) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --build-tests
VAEGAN_TEST_REQUIRE_ALL=1 swift test -c release --skip-build --disable-swift-testing
