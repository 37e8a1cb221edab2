#!/usr/bin/env bash
# Re-blesses the public-API baseline that `mvn verify` checks with japicmp (api-baseline/).
#
#   scripts/api-baseline.sh          builds the SDK modules' jars and copies them to api-baseline/
#
# Run it only for a deliberate API change, after the failing `mvn verify` has shown what changed
# (japicmp prints every modified class and member), and list that change in CHANGELOG.md in the
# same commit. Internal packages (*.internal) are not API and are not compared.
set -euo pipefail
root=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
cd "$root"
modules=(core crypto codec transport lab)
list=$(IFS=,; echo "${modules[*]}")
mvn -B -q -DskipTests -Dobscura.tinkAndroid.skip=true -Dobscura.javadoc.skip=true \
  -Dobscura.api.skip=true -pl "$list" -am package
mkdir -p api-baseline
for m in "${modules[@]}"; do
  jar=$(find "$m/target" -maxdepth 1 -name "obscura-$m-*.jar" ! -name '*-sources.jar' \
    ! -name '*-tests.jar' ! -name '*-javadoc.jar' | head -n 1)
  [ -n "$jar" ] || { echo "no jar was built in $m/target" >&2; exit 2; }
  cp "$jar" "api-baseline/obscura-$m.jar"
  echo "api-baseline/obscura-$m.jar  $(sha256sum "$jar" | cut -c1-16)"
done
echo "now list the API change in CHANGELOG.md and commit api-baseline/ with it"
