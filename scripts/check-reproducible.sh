#!/usr/bin/env bash
# Reproducible builds: builds one commit twice, in two fresh clones in two different folders, and
# compares the sha256 of every jar the build makes (module jars, -sources, -javadoc, the test-jar,
# the shaded obscura.jar and benchmarks.jar). Exit 0 when all are byte-identical.
#
#   scripts/check-reproducible.sh [COMMIT]      (default HEAD; extra Maven flags in MVN_FLAGS)
#
# Uses the local Maven repository offline (-o); run a normal build once first.
set -euo pipefail
root=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
commit=$(git -C "$root" rev-parse "${1:-HEAD}")
work=$(mktemp -d "${TMPDIR:-/tmp}/obscura-repro.XXXXXX")
trap 'rm -rf "$work"' EXIT
flags=(-B -o -q -DskipTests -Dobscura.tinkAndroid.skip=true ${MVN_FLAGS:-})

for n in 1 2; do
  git clone -q --no-checkout "$root" "$work/build$n"
  git -C "$work/build$n" checkout -q "$commit"
  echo "build $n of ${commit:0:12} in $work/build$n" >&2
  (cd "$work/build$n" && mvn "${flags[@]}" package >"$work/build$n.log" 2>&1) || {
    tail -40 "$work/build$n.log" >&2; echo "build $n failed" >&2; exit 2; }
  (cd "$work/build$n" && find . -maxdepth 3 -path '*/target/*' -name '*.jar' -printf '%P\n' \
    | sort | xargs sha256sum) >"$work/sums$n"
  # a sleep between the builds, so that a timestamp taken from the clock would differ
  [ "$n" = 1 ] && sleep 2
done

count=$(wc -l <"$work/sums1")
if [ "$count" -eq 0 ]; then echo "no jars were built" >&2; exit 2; fi
if diff "$work/sums1" "$work/sums2" >&2; then
  echo "reproducible: $count jars byte-identical"
  cat "$work/sums1"
else
  echo "NOT reproducible: the jars above differ" >&2
  exit 1
fi
