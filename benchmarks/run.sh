#!/usr/bin/env bash
# Runs the hot-path benchmarks (FrameSealBenchmark on AES-256 and AES-128, the CTR-HMAC suites,
# the Tink and Bouncy Castle peers) on every JDK it finds, with -prof gc, JSON results, then
# renders a Markdown table (ratios to the matching raw baseline of the same run and JDK) and a
# PNG chart per JDK. Fails when a result's iterations spread more than 10x (a cold measurement).
#
#   benchmarks/run.sh [--quick] [--out DIR] [--jdk JAVA_HOME]... [--no-build] [-- JMH ARGS...]
#
# JDKs: every --jdk, else $OBSCURA_BENCH_JDKS (JAVA_HOMEs separated by ':'), else discovered in
# /usr/lib/jvm/*, /usr/java/*, /opt/*, /opt/java/*, ~/.sdkman/candidates/java/*, ~/.jdks/*,
# /Library/Java/JavaVirtualMachines/*/Contents/Home and $JAVA_HOME: one per major version >= 17.
# --quick: a check that everything runs (two sizes, AES-256, short iterations), not figures.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="$root/benchmarks/target/bench-report"
quick=0
build=1
jdks=()
jmh_extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1 ;;
    --out) out="$2"; shift ;;
    --jdk) jdks+=("$2"); shift ;;
    --no-build) build=0 ;;
    --) shift; jmh_extra=("$@"); break ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
  shift
done

major_of() { # JAVA_HOME -> major version, or nothing
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -1
}

if [[ ${#jdks[@]} -eq 0 && -n "${OBSCURA_BENCH_JDKS:-}" ]]; then
  IFS=: read -r -a jdks <<< "$OBSCURA_BENCH_JDKS"
fi
if [[ ${#jdks[@]} -eq 0 ]]; then
  declare -A seen=()
  for d in ${JAVA_HOME:-} /usr/lib/jvm/* /usr/java/* /opt/* /opt/java/* "$HOME"/.sdkman/candidates/java/* \
           "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [[ -x "$d/bin/java" && -x "$d/bin/javac" ]] || continue
    real="$(readlink -f "$d")"
    m="$(major_of "$real")"
    [[ -n "$m" && "$m" -ge 17 && -z "${seen[$m]:-}" ]] || continue
    seen[$m]="$real"
  done
  for m in $(printf '%s\n' "${!seen[@]}" | sort -n); do jdks+=("${seen[$m]}"); done
fi
[[ ${#jdks[@]} -gt 0 ]] || { echo "no JDK 17+ found; pass --jdk JAVA_HOME" >&2; exit 1; }

if [[ $build -eq 1 ]]; then
  (cd "$root" && mvn -B -q -pl benchmarks -am package -DskipTests -Dobscura.tinkAndroid.skip=true)
fi
jar="$root/benchmarks/target/benchmarks.jar"
mkdir -p "$out/tmp"

if [[ $quick -eq 1 ]]; then
  jmh=(-f 1 -wi 1 -w 500ms -i 3 -r 500ms -p frameBytes=1024,65536 -p keyBits=256
       -p suite=AES_128_CTR_HMAC_SHA256_80 -jvmArgsAppend -Dobscura.bench.prewarmMillis=500)
else
  jmh=(-p keyBits=256,128)
fi

files=()
for home in "${jdks[@]}"; do
  m="$(major_of "$home")"
  json="$out/jdk$m.json"
  echo "== JDK $m: $home" >&2
  "$home/bin/java" -Djava.io.tmpdir="$out/tmp" -jar "$jar" \
    'dev\.obscura\.benchmarks\.(FrameSealBenchmark|FrameSealCtrHmacBenchmark|PeerSealBenchmark)\.' \
    -prof gc -rf json -rff "$json" "${jmh[@]}" "${jmh_extra[@]}" >&2
  files+=("$json")
done

cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1 || true)"
machine="${cpu:-$(uname -m)}, $(getconf _NPROCESSORS_ONLN) cores, $(uname -sr)"
[[ $quick -eq 1 ]] && machine="$machine (--quick: not figures)"
# The report runs on the first JDK; it exits 2 when a result's iterations spread more than 10x.
"${jdks[0]}/bin/java" -Djava.awt.headless=true -cp "$jar" dev.obscura.benchmarks.report.Report \
  --out "$out" --machine "$machine" "${files[@]}"
echo "report: $out/results.md, charts: $out/throughput-jdk*.png" >&2
