#!/usr/bin/env bash
# Set up (system libraries, MNIST) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# schemathesis checks the studio against its OpenAPI document (StudioContractTests).
ST=.build/schemathesis
if [ ! -x "$ST/bin/schemathesis" ]; then
  python3 -m venv "$ST" && "$ST/bin/pip" install -q --disable-pip-version-check "schemathesis==4.32.5"
fi
export VAEGAN_SCHEMATHESIS="$PWD/$ST/bin/schemathesis"
# The house style (.swift-format): `swift format -i -r Sources Tests Package.swift Fuzz/Targets` applies it.
swift format lint --strict -r Sources Tests Package.swift Fuzz/Targets
# No file imports one of the project's modules without using it.
python3 scripts/check_imports.py Sources Tests Fuzz/Targets
# The page scripts parse (the browser tests run them), and the committed WebAssembly is what
# Sources/Browser/Page/model.c compiles to.
for js in Sources/Browser/Page/studio.js Sources/Browser/Page/model.js Sources/Browser/Page/explore.js \
  Sources/Browser/Page/report.js; do node --check "$js"; done
bash scripts/build_web_model.sh --check
# The fuzz targets build (a compile error fails here) and run once over their kept corpora.
bash Fuzz/build.sh > /dev/null
for t in idx numpy recording checkpoint; do
  Fuzz/.build/fuzz-$t -runs=0 -rss_limit_mb=4096 Fuzz/Corpus/$t 2>&1 | tail -1
done
# The layers are checked here: an import of a target that Package.swift does not list fails the build.
swift build -c release --build-tests --explicit-target-dependency-import-check error
# The test process loads OpenBLAS itself, without the program's restart: where the program would
# replace the library's generic core (a CPU newer than the library), give the tests the same core.
eval "$(.build/release/vaegan-render kernels --json | python3 -c '
import json, sys
k = json.load(sys.stdin)
if k["openblas_set_by"] == "vaegan-render":
    print("export OPENBLAS_CORETYPE=%s VAEGAN_RENDER_OPENBLAS_PICKED=%s" % (k["openblas_core"], k["openblas_picked"]))
')"
# A one-node Slurm for the sweep's job-array test (SweepSlurmTests), stopped when this script ends.
trap 'bash scripts/slurm/local.sh stop .build/slurm' EXIT
eval "$(bash scripts/slurm/local.sh start .build/slurm)"
VAEGAN_TEST_REQUIRE_ALL=1 swift test -c release --skip-build --disable-swift-testing
# The parts that read untrusted input (files, requests, the studio's server) once more in a debug
# build, where every precondition and overflow check is on.
swift build --build-tests --explicit-target-dependency-import-check error
VAEGAN_TEST_REQUIRE_ALL=1 swift test --skip-build --disable-swift-testing \
  --filter 'IDXTests|IDXFuzzCorpusTests|DigitPreparationTests|RunFolderTests|CheckpointCorpusTests|ConfigFileTests|StudioHostileTests|StudioAPITests' \
  --skip testManyClientsAtOnce
