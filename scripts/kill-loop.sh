#!/usr/bin/env bash
# Kill loops (issue 14): a paired camera recording into a folder store, and a paired camera's live
# view, each killed with SIGKILL at a random point after its first acknowledgement and restarted,
# KILLS times; then checks zero repeated (key id, nonce), no envelope or manifest ever rewritten,
# every acknowledged segment readable and covered by a camera-signed manifest. The harness is
# examples/src/test/java/dev/obscura/examples/camera/KillLoop.java (the suite runs 20 kills of each
# in CameraKillTest and LiveKillTest).
#
#   scripts/kill-loop.sh [KILLS [record|live|both [SEED [MAX_DELAY_MS]]]]   (default 1000 both)
#
# Builds offline (-o) first, then runs from a copy of the compiled classes (so a rebuild during a
# long run does not change what runs). Loops of "both" run one after the other. Exit 0 when every
# check passed; each loop prints its figures in one "kill loop ..." line.
set -euo pipefail
root=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
kills=${1:-1000}
mode=${2:-both}
seed=${3:-$(date +%s)}
delay=${4:-300}
work=$(mktemp -d "${TMPDIR:-/tmp}/obscura-kill-loop.XXXXXX")
trap 'rm -rf "$work"' EXIT

(cd "$root" && mvn -B -q -o -Dobscura.tinkAndroid.skip=true -Dobscura.javadoc.skip=true -pl examples -am \
  test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt" \
  >"$work/build.log" 2>&1) || { cat "$work/build.log" >&2; exit 2; }

# the module classes of this tree, copied; everything else (the local Maven repository) as is
cp=""
n=0
for entry in "$root/examples/target/test-classes" "$root/examples/target/classes" $(tr ':' ' ' <"$work/cp.txt"); do
  if [[ "$entry" == "$root"/* && -d "$entry" ]]; then
    n=$((n + 1))
    cp -r "$entry" "$work/classes$n"
    entry="$work/classes$n"
  fi
  cp="$cp${cp:+:}$entry"
done

java=${JAVA_HOME:+$JAVA_HOME/bin/}java
run() {
  echo "$1: $kills kills, seed $seed, kill within ${delay} ms of the first acknowledgement" >&2
  "$java" -cp "$cp" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn --enable-native-access=ALL-UNNAMED \
    dev.obscura.examples.camera.KillLoop "$1" "$kills" "$work/$1" "$seed" "$delay" 2>"$work/$1.err" \
    | grep -v '^seed ' || { echo "$1 loop FAILED:" >&2; tail -40 "$work/$1.err" >&2; return 1; }
}
status=0
case "$mode" in
  record|live) run "$mode" || status=1 ;;
  both) run record || status=1; run live || status=1 ;;
  *) echo "mode: record, live or both" >&2; exit 2 ;;
esac
exit $status
