#!/usr/bin/env bash
# Build the libFuzzer targets (fuzz-idx, fuzz-checkpoint, fuzz-recording) into Fuzz/.build:
# each module of the package is compiled with -sanitize=fuzzer,address, in dependency order.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=Fuzz/.build
mkdir -p "$OUT"
MAPS=()
for m in CZlib CBLAS CDNNL CPNG; do MAPS+=(-Xcc "-fmodule-map-file=Sources/$m/module.modulemap"); done
FLAGS=(-O -swift-version 6 -package-name vaegan_render -parse-as-library -sanitize=fuzzer,address -I "$OUT" "${MAPS[@]}")
# swiftc's output without the linker's harmless "Cannot export local symbol" lines; with pipefail,
# a failed compile or link still fails the script.
quiet() { grep -v "Cannot export local symbol" || true; }
module() {  # module NAME
  swiftc "${FLAGS[@]}" -wmo -emit-module -emit-module-path "$OUT/$1.swiftmodule" -emit-object \
    -module-name "$1" Sources/"$1"/*.swift $( [ -d Sources/"$1"/Kernels ] && echo Sources/"$1"/Kernels/*.swift Sources/"$1"/Ops/*.swift ) \
    -o "$OUT/$1.o" 2>&1 | quiet
}
for m in Deflate AtomicIO Datasets PNG OwnData Tensor RunFolder VAEGAN RunModel Training; do module "$m"; done
LIBS=(-lz -lopenblas -ldnnl -lgomp -lpng16)
link() {  # link TARGET MODULES...
  local target=$1; shift
  swiftc "${FLAGS[@]}" Fuzz/Targets/"$target".swift "${@/#/$OUT/}" "${LIBS[@]}" -o "$OUT/fuzz-$target" 2>&1 | quiet
}
link idx Deflate.o AtomicIO.o Datasets.o
link numpy Deflate.o AtomicIO.o Datasets.o
link recording Deflate.o AtomicIO.o Datasets.o RunFolder.o
link checkpoint Deflate.o AtomicIO.o Datasets.o PNG.o OwnData.o Tensor.o RunFolder.o VAEGAN.o RunModel.o Training.o
ls -la "$OUT"/fuzz-*
