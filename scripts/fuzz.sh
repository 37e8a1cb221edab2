#!/usr/bin/env bash
# Fuzzes every Jazzer target of the repository for a set time each (docs/fuzzing.md).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET_FILTER]      (default 600 s, all targets)
#
# A target is a class *FuzzTest.java under <module>/src/test/java holding a @FuzzTest method;
# TARGET_FILTER is an extended regex matched against the class's fully qualified name. The
# modules are compiled once (offline reactor build), then each target runs alone in fuzzing mode
# (JAZZER_FUZZ=1, -Xmx256m so that an allocation sized by the input surfaces as an OOM) through
# surefire:test. Prints: target | seconds | executions | findings, and exits 1 if any target
# found something (a crash/timeout/oom file, a failed or killed test run), 2 if the build failed.
#
# Output, under target/fuzz/<UTC timestamp>/ of the repository root (git-ignored):
#   logs/<Class>.log        the whole Maven + libFuzzer output of one target
#   findings/<Class>/       crash-*, timeout-*, oom-*, slow-unit-* files and Crash_*.java
#                           reproducers, moved out of the Inputs folder / module folder
#   summary.txt             the table
# Environment: FUZZ_TIMEOUT (seconds one input may take before it is a timeout finding, default
# 30), FUZZ_XMX (heap, default 256m), MVN_FLAGS (extra Maven flags).
# The generated corpus (inputs that found new coverage) stays in <module>/.cifuzz-corpus/
# (git-ignored) so that a later run continues from it.
set -euo pipefail
root=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
secs=${1:-600}
filter=${2:-}
timeout_s=${FUZZ_TIMEOUT:-30}
xmx=${FUZZ_XMX:-256m}
case "$secs" in ''|*[!0-9]*) echo "usage: $0 [SECONDS_PER_TARGET] [TARGET_FILTER]" >&2; exit 2;; esac

cd "$root"
out="$root/target/fuzz/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out/logs" "$out/findings"

# discovery: module dir + class name, e.g. "crypto dev.obscura.crypto.segment.SegmentParserFuzzTest"
targets=()
while IFS= read -r f; do
  module=${f%%/src/test/java/*}
  cls=${f#*/src/test/java/}
  cls=${cls%.java}
  cls=${cls//\//.}
  if [ -n "$filter" ] && ! [[ "$cls" =~ $filter ]]; then continue; fi
  targets+=("$module $cls")
done < <(grep -rl --include='*FuzzTest.java' --exclude-dir=target --exclude-dir=.git \
           -e '@FuzzTest' . | sed 's|^\./||' | grep '/src/test/java/' | sort)
if [ ${#targets[@]} -eq 0 ]; then echo "no fuzz targets match '${filter}'" >&2; exit 2; fi

modules=$(printf '%s\n' "${targets[@]}" | cut -d' ' -f1 | sort -u | paste -sd, -)
common=(-B -o -Dobscura.tinkAndroid.skip=true -Dobscura.javadoc.skip=true ${MVN_FLAGS:-})
echo "fuzz: ${#targets[@]} target(s) in $modules, ${secs} s each; output in $out" >&2
echo "fuzz: building $modules (once)" >&2
if ! mvn "${common[@]}" -q -pl "$modules" -am test-compile >"$out/logs/build.log" 2>&1; then
  tail -40 "$out/logs/build.log" >&2; echo "fuzz: build failed" >&2; exit 2
fi

# files libFuzzer/Jazzer write for a finding
list_findings() { # dirs... -> the finding files directly in them
  for d in "$@"; do
    [ -d "$d" ] || continue
    find "$d" -maxdepth 2 -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \
      -o -name 'slow-unit-*' -o -name 'leak-*' -o -name 'Crash_*.java' -o -name 'Crash-*.java' \) \
      -not -path '*/target/*'
  done | sort
}

printf '%-64s | %7s | %12s | %s\n' target seconds executions findings >"$out/summary.txt"
printf '%s\n' "$(printf -- '-%.0s' {1..110})" >>"$out/summary.txt"
any=0
for t in "${targets[@]}"; do
  module=${t%% *}
  cls=${t#* }
  simple=${cls##*.}
  pkgdir=$(dirname "${cls//.//}")
  inputs="$module/src/test/resources/$pkgdir/${simple}Inputs"
  log="$out/logs/$simple.log"
  before=$(list_findings "$inputs" "$module" "$root")
  echo "fuzz: $cls for ${secs} s" >&2
  start=$(date +%s)
  rc=0
  # test-compile (up to date, so quick) lets the reactor hand its modules' classes to the
  # target's module; surefire:test alone would look for their jars in the local repository
  JAZZER_FUZZ=1 mvn "${common[@]}" -pl "$module" -am test-compile surefire:test \
    -Dtest="$simple" -Dsurefire.failIfNoSpecifiedTests=false \
    -Dsurefire.timeout=$((secs + 600)) \
    "-Dsurefire.argLine=--enable-native-access=ALL-UNNAMED -Xss4m -Xmx$xmx -XX:-OmitStackTraceInFastThrow" \
    -Djazzer.internal.arg.0=fuzz \
    -Djazzer.internal.arg.1=-max_total_time="$secs" \
    -Djazzer.internal.arg.2=-timeout="$timeout_s" \
    -Djazzer.internal.arg.3=-print_final_stats=1 \
    >"$log" 2>&1 || rc=$?
  wall=$(( $(date +%s) - start ))
  after=$(list_findings "$inputs" "$module" "$root")
  new=$(comm -13 <(printf '%s\n' "$before" | sed '/^$/d') <(printf '%s\n' "$after" | sed '/^$/d') || true)
  nfiles=0
  if [ -n "$new" ]; then
    mkdir -p "$out/findings/$simple"
    while IFS= read -r f; do
      mv "$f" "$out/findings/$simple/"
      nfiles=$((nfiles + 1))
    done <<<"$new"
  fi
  # executions: libFuzzer's final stats, else its "Done N runs", else the last status line "#N"
  execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
  [ -n "$execs" ] || execs=$(grep -o '^Done [0-9]* runs' "$log" | tail -1 | grep -o '[0-9]\+' || true)
  [ -n "$execs" ] || execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#' || true)
  [ -n "$execs" ] || execs="?"
  fsecs=$(grep -o 'runs in [0-9]* second' "$log" | tail -1 | grep -o '[0-9]\+' || true)
  [ -n "$fsecs" ] || fsecs=$wall
  kind=""
  grep -q 'OutOfMemoryError' "$log" && kind="$kind OOM"
  grep -q 'StackOverflowError' "$log" && kind="$kind stack-overflow"
  grep -qi 'ALARM: working on the last Unit\|libFuzzer: timeout' "$log" && kind="$kind timeout"
  grep -q 'There was a timeout in the forked process\|The forked VM terminated' "$log" && kind="$kind fork-died"
  grep -q '== Java Exception:\|FuzzTestFindingException' "$log" && kind="$kind exception"
  if [ "$nfiles" -gt 0 ] || [ "$rc" -ne 0 ]; then
    any=1
    [ "$rc" -ne 0 ] && kind="$kind mvn-rc=$rc"
    findings="$nfiles file(s):${kind} -> $out/findings/$simple (log: $log)"
  else
    findings="0"
  fi
  printf '%-64s | %7s | %12s | %s\n' "$cls" "$fsecs" "$execs" "$findings" >>"$out/summary.txt"
done

cat "$out/summary.txt"
exit "$any"
