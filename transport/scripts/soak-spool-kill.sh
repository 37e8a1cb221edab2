#!/usr/bin/env bash
# Soak run of the spool SIGKILL test outside CI: a child JVM records through the spool into
# s3proxy and is killed KILLS times (default 50) at seeded random points.
#   transport/scripts/soak-spool-kill.sh [KILLS] [SEED]
set -euo pipefail
cd "$(dirname "$0")/../.."
kills="${1:-50}"
seed="${2:-$(date +%s)}"
echo "spool kill soak: $kills kills, seed $seed"
mvn -q -B -pl transport -am test \
  -Dtest=SpoolKillTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dobscura.spool.kills="$kills" -Dobscura.fault.seed="$seed"
grep -h "spool kill test:" transport/target/surefire-reports/*SpoolKillTest-output.txt 2>/dev/null || true
