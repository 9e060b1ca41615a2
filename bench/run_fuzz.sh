#!/usr/bin/env bash
# Fuzzes the parsers that take outside bytes (tests/fuzz/fuzz_targets.h) with AFL++ from Debian,
# SECONDS of fuzzing per target (default 300), in a build of its own (build-fuzz/) instrumented by
# afl-g++ with AddressSanitizer and UndefinedBehaviorSanitizer.
#
#   bench/run_fuzz.sh [SECONDS] [TARGET...]
#
# For each target it prints the executions, their rate, the paths found and the crashes. Inputs
# that crashed are copied to tests/fuzz/crashes/TARGET/ (the regression test runs them on every
# build); the queue the fuzzer grew is minimised with afl-cmin and what is new is added to
# tests/fuzz/corpus/TARGET/. Commit both after a run.
#
# Why AFL++'s plain GCC mode: Debian 12's afl++ GCC plugin refuses Debian's own GCC 12.2 ("GCC and
# plugin have incompatible versions"), and Debian's clang 14-16 cannot compile libstdc++'s
# <expected>, which the project uses throughout, so libFuzzer and afl-clang-fast are out. The GCC
# mode instruments edges through the assembler and runs each input in a forked copy.
set -euo pipefail
seconds=${1:-300}
shift || true
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-fuzz"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(json-body customer-csv multipart-upload rules-files scanned-image own-codes)

for tool in afl-fuzz afl-g++ afl-cmin; do
  command -v "$tool" >/dev/null || { echo "run_fuzz: $tool is missing (apt-get install afl++)" >&2; exit 1; }
done

export AFL_CC_COMPILER=GCC AFL_USE_ASAN=1 AFL_USE_UBSAN=1 AFL_QUIET=1
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=afl-g++ >/dev/null
cmake --build "$build" -j"$(nproc)" --target dangan-fuzz >/dev/null
fuzz="$build/tests/dangan-fuzz"

export AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
export ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1
export OMP_THREAD_LIMIT=1
printf '%-18s %9s %9s %7s %8s\n' target seconds execs exec/s crashes
for target in "${targets[@]}"; do
  corpus="$root/tests/fuzz/corpus/$target"
  findings="$build/findings/$target"
  rm -rf "$findings"
  mkdir -p "$build/findings"
  afl-fuzz -V "$seconds" -m none -t 5000 -i "$corpus" -o "$findings" -- "$fuzz" "$target" @@ >"$build/afl-$target.log" 2>&1 || {
    echo "run_fuzz: afl-fuzz failed on $target (see $build/afl-$target.log)" >&2
    exit 1
  }
  stats="$findings/default/fuzzer_stats"
  value() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
  crashes=0
  for crash in "$findings"/default/crashes/id:*; do
    [ -e "$crash" ] || continue
    mkdir -p "$root/tests/fuzz/crashes/$target"
    cp "$crash" "$root/tests/fuzz/crashes/$target/$(sha1sum "$crash" | cut -c1-16)"
    crashes=$((crashes + 1))
  done
  printf '%-18s %9s %9s %7s %8s\n' "$target" "$(value run_time)" "$(value execs_done)" "$(value execs_per_sec)" "$crashes"
  # The grown queue, minimised, joins the corpus (the seeds stay as they are).
  minimised="$build/minimised/$target"
  rm -rf "$minimised"
  afl-cmin -m none -t 5000 -i "$findings/default/queue" -o "$minimised" -- "$fuzz" "$target" @@ >/dev/null 2>&1 || true
  for input in "$minimised"/*; do
    [ -e "$input" ] || continue
    sum=$(sha1sum "$input" | cut -c1-16)
    known=0
    for seed in "$corpus"/*; do cmp -s "$seed" "$input" && known=1 && break; done
    [ $known -eq 1 ] || cp "$input" "$corpus/afl-$sum"
  done
done
