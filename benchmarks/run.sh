#!/usr/bin/env bash
# Runs the whole benchmark suite on every JDK it finds, with -prof gc and JSON results, then
# renders one Markdown report (results.md) and a PNG chart per JDK (throughput-jdkN.png):
#   frames    FrameSealBenchmark (AES-256 and AES-128), FrameSealCtrHmacBenchmark, PeerSealBenchmark:
#             ratios to the matching raw baseline of the same run and JDK, segments against the
#             C2SP and the chain ceiling, allocation over the baseline
#   pipeline  PipelineBenchmark: 1080p30 at 2 and 4 Mbit/s, frames/s, sealing's share of encoding
#   live      LiveStreamsBenchmark: 30 fps, 4 Mbit/s streams sealed and opened per core
#   relay     RelayBenchmark: fan-out on loopback, latency p50/p99, viewers per core
# Fails (exit 2, after writing the report) when a JMH result's iterations spread more than 10x.
#
#   benchmarks/run.sh [--quick] [--parallel] [--iterations W,M] [--sections LIST] [--out DIR]
#                     [--jdk JAVA_HOME]... [--no-build] [-- JMH ARGS...]
#
# --quick: a check that every section runs (1 and 16 KiB frames, AES-256, one CTR-HMAC suite, 360p
#   at 2 Mbit/s, 2 warm-up and 2 measured iterations of 0.3 s, a 2 s relay with 1 and 4 viewers),
#   not figures: about 4 minutes per JDK on a shared 2-core machine.
# --parallel: the JDKs run at the same time, each pinned with taskset to a core of its own, when
#   there are at least as many cores as JDKs (else one after the other); results.md says which.
# --iterations W,M: JMH warm-up and measurement iterations for every JMH benchmark. Default 3,5,
#   the benchmarks' own (PipelineBenchmark.recordPipeline keeps its 1,3 of 10 s unless given).
# --sections LIST: a comma-separated subset of frames,pipeline,live,relay (default: all).
# JMH ARGS go to every JMH section. JDKs: every --jdk, else $OBSCURA_BENCH_JDKS (JAVA_HOMEs
# separated by ':'), else discovered in /usr/lib/jvm/*, /usr/java/*, /opt/*, /opt/java/*,
# ~/.sdkman/candidates/java/*, ~/.jdks/*, /Library/Java/JavaVirtualMachines/*/Contents/Home and
# $JAVA_HOME: one per major version >= 17.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="$root/benchmarks/target/bench-report"
quick=0
parallel=0
build=1
iterations=""
sections_arg="frames,pipeline,live,relay"
jdks=()
jmh_extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1 ;;
    --parallel) parallel=1 ;;
    --iterations) iterations="$2"; shift ;;
    --sections) sections_arg="$2"; shift ;;
    --out) out="$2"; shift ;;
    --jdk) jdks+=("$2"); shift ;;
    --no-build) build=0 ;;
    --) shift; jmh_extra=("$@"); break ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
  shift
done

IFS=, read -r -a sections <<< "$sections_arg"
for s in "${sections[@]}"; do
  case "$s" in frames|pipeline|live|relay) ;; *) echo "unknown section: $s" >&2; exit 64 ;; esac
done
has_section() { [[ ",$sections_arg," == *",$1,"* ]]; }
wi=""; mi=""
if [[ -n "$iterations" ]]; then
  [[ "$iterations" =~ ^([0-9]+),([1-9][0-9]*)$ ]] || { echo "--iterations wants W,M, e.g. 3,5" >&2; exit 64; }
  wi="${BASH_REMATCH[1]}"; mi="${BASH_REMATCH[2]}"
fi

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
majors=()
for home in "${jdks[@]}"; do majors+=("$(major_of "$home")"); done

# The CPUs this script may use (its affinity list, ranges expanded).
cpus=()
allowed="$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/self/status 2>/dev/null || true)"
IFS=, read -r -a ranges <<< "${allowed:-0-$(( $(getconf _NPROCESSORS_ONLN) - 1 ))}"
for r in "${ranges[@]}"; do
  if [[ "$r" == *-* ]]; then for ((c = ${r%-*}; c <= ${r#*-}; c++)); do cpus+=("$c"); done
  elif [[ -n "$r" ]]; then cpus+=("$r"); fi
done
notes=()
if [[ $parallel -eq 1 ]]; then
  if ! command -v taskset > /dev/null; then
    parallel=0; notes+=("\`--parallel\` asked, but taskset is missing: the JDKs ran one after the other, unpinned.")
  elif [[ ${#cpus[@]} -lt ${#jdks[@]} ]]; then
    parallel=0; notes+=("\`--parallel\` asked, but ${#cpus[@]} cores for ${#jdks[@]} JDKs: the JDKs ran one after the other, unpinned.")
  else
    pins=""
    for i in "${!jdks[@]}"; do pins+="${pins:+, }JDK ${majors[$i]} on CPU ${cpus[$i]}"; done
    notes+=("Run with \`--parallel\`: the JDKs ran at the same time, each pinned with taskset to a core of its own ($pins); a pinned JDK's JIT and GC threads, and the relay run's relay, camera and viewers, share that one core.")
  fi
fi
[[ $parallel -eq 1 ]] || [[ ${#notes[@]} -gt 0 ]] || notes+=("The JDKs ran one after the other, unpinned.")

# ------------------------------------------------------------------ what each section runs
frames_re='dev\.obscura\.benchmarks\.(FrameSealBenchmark|FrameSealCtrHmacBenchmark|PeerSealBenchmark)\.'
pipeline_re='dev\.obscura\.benchmarks\.PipelineBenchmark\.'
live_re='dev\.obscura\.benchmarks\.LiveStreamsBenchmark\.'
iters=()
[[ -n "$wi" ]] && iters=(-wi "$wi" -i "$mi")
if [[ $quick -eq 1 ]]; then
  short=(-f 1 -w 300ms -r 300ms -jvmArgsAppend -Dobscura.bench.prewarmMillis=500)
  [[ -n "$wi" ]] || iters=(-wi 2 -i 2) # a second warm-up: under load the first measured one ran cold
  jmh_frames=("${short[@]}" -p frameBytes=1024,16384 -p keyBits=256 -p suite=AES_128_CTR_HMAC_SHA256_80)
  jmh_video=("${short[@]}" -p bitrate=2000000 -p height=360)
  relay_args=(2 16666 1,4)
  frames_overhead=2.5; video_overhead=4; relay_seconds=2; relay_counts=2
else
  jmh_frames=(-p keyBits=256,128)
  jmh_video=()
  relay_args=()
  frames_overhead=4.5; video_overhead=9; relay_seconds=10; relay_counts=4
fi

if [[ $build -eq 1 ]]; then
  (cd "$root" && mvn -B -q -pl benchmarks -am package -DskipTests -Dobscura.tinkAndroid.skip=true)
fi
jar="$root/benchmarks/target/benchmarks.jar"
mkdir -p "$out/tmp"

# ------------------------------------------------------------------ estimate
plan() { # overhead regex jmh-args... -> seconds
  local overhead="$1" re="$2"; shift 2
  local a=() x
  while [[ $# -gt 0 ]]; do
    case "$1" in
      -f|-wi|-i|-p) a+=("--${1#-}" "$2"); shift ;;
      -w|-r) x="$2"; [[ "$x" == *ms ]] && x="$(awk "BEGIN{print ${x%ms}/1000}")" || x="${x%s}"; a+=("--${1#-}" "$x"); shift ;;
      -jvmArgsAppend|-jvmArgs|-jvmArgsPrepend|-t|-bm|-tu|-to) shift ;;
    esac
    shift
  done
  "${jdks[0]}/bin/java" -cp "$jar" dev.obscura.benchmarks.report.Plan --overhead "$overhead" "${a[@]}" "$re" | cut -d' ' -f1
}
per_jdk=0
has_section frames && per_jdk=$(( per_jdk + $(plan "$frames_overhead" "$frames_re" "${jmh_frames[@]}" "${iters[@]}") ))
has_section pipeline && per_jdk=$(( per_jdk + $(plan "$video_overhead" "$pipeline_re" "${jmh_video[@]}" "${iters[@]}") ))
has_section live && per_jdk=$(( per_jdk + $(plan "$video_overhead" "$live_re" "${jmh_video[@]}" "${iters[@]}") ))
has_section relay && per_jdk=$(( per_jdk + relay_counts * (2 * relay_seconds + 3) + 2 ))
estimate=$(( parallel == 1 ? per_jdk : per_jdk * ${#jdks[@]} ))
mode="$([[ $parallel -eq 1 ]] && echo "at the same time" || echo "one after the other")"
printf '== %s on %d JDK(s) (%s), %s: estimated %d min %02d s\n' "${sections_arg}" "${#jdks[@]}" \
  "${majors[*]}" "$mode" $(( estimate / 60 )) $(( estimate % 60 )) >&2

# ------------------------------------------------------------------ run
run_jdk() { # JAVA_HOME major: every section, one after the other
  local home="$1" m="$2"
  local tmp="$out/tmp/jdk$m"
  mkdir -p "$tmp"
  local java=("$home/bin/java" -Djava.io.tmpdir="$tmp")
  echo "== JDK $m: $home" >&2
  if has_section frames; then
    "${java[@]}" -jar "$jar" "$frames_re" -prof gc -rf json -rff "$out/jdk$m-frames.json" \
      "${jmh_frames[@]}" "${iters[@]}" "${jmh_extra[@]}" >&2
  fi
  if has_section pipeline; then
    "${java[@]}" -jar "$jar" "$pipeline_re" -prof gc -rf json -rff "$out/jdk$m-pipeline.json" \
      "${jmh_video[@]}" "${iters[@]}" "${jmh_extra[@]}" >&2
  fi
  if has_section live; then
    "${java[@]}" -jar "$jar" "$live_re" -prof gc -rf json -rff "$out/jdk$m-live.json" \
      "${jmh_video[@]}" "${iters[@]}" "${jmh_extra[@]}" >&2
  fi
  if has_section relay; then
    "${java[@]}" -cp "$jar" dev.obscura.benchmarks.RelayBenchmark --json "$out/jdk$m-relay.json" \
      "${relay_args[@]}" >&2
  fi
}

started=$SECONDS
if [[ $parallel -eq 1 ]]; then
  pids=()
  for i in "${!jdks[@]}"; do
    log="$out/jdk${majors[$i]}.log"
    echo "== JDK ${majors[$i]} on CPU ${cpus[$i]}: log in $log" >&2
    ( taskset -pc "${cpus[$i]}" "$BASHPID" > /dev/null; run_jdk "${jdks[$i]}" "${majors[$i]}" ) > "$log" 2>&1 &
    pids+=("$!")
  done
  failed=0
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || { echo "JDK ${majors[$i]} failed: see $out/jdk${majors[$i]}.log" >&2; failed=1; }
  done
  [[ $failed -eq 0 ]] || exit 1
else
  for i in "${!jdks[@]}"; do run_jdk "${jdks[$i]}" "${majors[$i]}"; done
fi
took=$(( SECONDS - started ))

files=()
for m in "${majors[@]}"; do
  for s in "${sections[@]}"; do
    [[ -f "$out/jdk$m-$s.json" ]] && files+=("$out/jdk$m-$s.json")
  done
done
cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1 || true)"
machine="${cpu:-$(uname -m)}, $(getconf _NPROCESSORS_ONLN) cores, $(uname -sr)"
[[ $quick -eq 1 ]] && machine="$machine (--quick: a check that everything runs, not figures)"
itnote="${wi:+$wi warm-up and $mi measured iterations for every JMH benchmark (\`--iterations $iterations\`)}"
[[ -n "$itnote" ]] || itnote="$([[ $quick -eq 1 ]] && echo "2 warm-up and 2 measured JMH iterations of 0.3 s" \
  || echo "JMH iterations: the benchmarks' own (3 warm-up, 5 measured; recordPipeline 1 and 3 of 10 s)")"
if has_section frames || has_section pipeline || has_section live; then
  notes+=("Sections: ${sections_arg}. $itnote.")
else
  notes+=("Sections: ${sections_arg}.")
fi
notes+=("$(printf 'Took %d min %02d s (estimated %d min %02d s).' $(( took / 60 )) $(( took % 60 )) \
  $(( estimate / 60 )) $(( estimate % 60 )))")
note_args=()
for n in "${notes[@]}"; do note_args+=(--note "$n"); done
# The report runs on the first JDK; it exits 2 when a result's iterations spread more than 10x.
rc=0
"${jdks[0]}/bin/java" -Djava.awt.headless=true -cp "$jar" dev.obscura.benchmarks.report.Report \
  --out "$out" --machine "$machine" "${note_args[@]}" "${files[@]}" || rc=$?
echo "report: $out/results.md, charts: $out/throughput-jdk*.png (took ${took} s)" >&2
exit $rc
