#!/usr/bin/env bash
# test/fuzz/build.sh: build every libFuzzer target test/fuzz/<area>/fuzz_<name>.c
# against the pure-C core (src/core/*.c) with clang
# -fsanitize=fuzzer,address,undefined.  Binaries: test/fuzz/<area>/fuzz_<name>.bin
#
#   test/fuzz/build.sh            (or: make fuzz)
#   test/fuzz/build.sh history_parse model_parse     (only these)
set -eu
cd "$(dirname "$0")/../.."
CLANG=${CLANG:-clang}
FLAGS="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined
       -fno-sanitize-recover=all -Wall -Wextra -Werror -Isrc -Itest/fuzz"
if [ $# -gt 0 ]; then
    targets=$(for t in "$@"; do ls test/fuzz/*/"fuzz_$t.c"; done)
else
    targets=$(ls test/fuzz/*/fuzz_*.c)
fi
for src in $targets; do
    bin=${src%.c}.bin
    echo "building $bin"
    # shellcheck disable=SC2086
    $CLANG $FLAGS -o "$bin" "$src" $(ls src/core/*.c src/core/*/*.c 2>/dev/null) -lm
done
