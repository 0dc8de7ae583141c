#!/usr/bin/env bash
# Compile Sources/Browser/Page/model.c to WebAssembly (128-bit SIMD, no C library) with the clang and wasm-ld that
# ship with the Swift toolchain, into Sources/Browser/Page/model.wasm, which the program embeds.
#   bash scripts/build_web_model.sh          rebuild it
#   bash scripts/build_web_model.sh --check  fail if the committed file is not what the source makes
set -euo pipefail
cd "$(dirname "$0")/.."
CLANG=${CLANG:-$(dirname "$(command -v swift)")/clang}
OUT=Sources/Browser/Page/model.wasm
tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
"$CLANG" --target=wasm32 -nostdlib -O3 -msimd128 -ffp-contract=off -Wall -Werror \
  -Wl,--no-entry -Wl,--export-memory -Wl,--strip-all -o "$tmp" Sources/Browser/Page/model.c
if [ "${1:-}" = --check ]; then
  cmp -s "$tmp" "$OUT" || { echo "build_web_model.sh: $OUT is not what Sources/Browser/Page/model.c compiles to; run bash scripts/build_web_model.sh" >&2; exit 1; }
else
  cp "$tmp" "$OUT"; echo "wrote $OUT ($(wc -c < "$OUT") bytes)"
fi
