#!/usr/bin/env bash
# Soak run of the spool SIGKILL test outside CI: a child JVM records through the spool into
# s3proxy and is killed KILLS times (default 50) at seeded random points. Prints the counts
# ("spool kill test: ..."). 50 kills took 3m38s on a loaded 2-core machine.
#   transport/scripts/soak-spool-kill.sh [KILLS] [SEED]
set -euo pipefail
cd "$(dirname "$0")/../.."
kills="${1:-50}"
seed="${2:-$(date +%s)}"
echo "spool kill soak: $kills kills, seed $seed"
mvn -q -B -pl transport -am test \
  -Dtest=SpoolKillTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dobscura.spool.kills="$kills" -Dobscura.fault.seed="$seed"
