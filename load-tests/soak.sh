#!/usr/bin/env bash
# The soak (not part of the Maven build or CI): the gateway as shipped in front of the emulated org, at a fixed
# request rate (open model) for N minutes, subjects churning, the token endpoint flapping (HANG, 503, 500 in turn)
# and a few sessions revoked at the org on every cycle; the gateway's live heap, threads, sockets and connections
# sampled, and every answer classified. Writes load-tests/target/soak/samples.csv, summary.json and summary.md;
# exits 0 when the verdict passes (no leak, no unexpected error, one exchange per subject per session), 1 when it
# fails, 2 when the run could not be carried out.
#
#   load-tests/soak.sh                 # 10 minutes at 400 requests/s (about 11 minutes in all)
#   load-tests/soak.sh --minutes=1     # a short check (or --seconds=N, at least 60)
#   options: --rate=N (requests/s, default 400), --new-per-second=N (default 10), --build (rebuild the jars first)
#   expert: --session-timeout=S --subject-life=S --cycle=S --fault-seconds=S --jit-warmup=S --ramp=S --warmup=S
#           --sample-seconds=S
#
# On a shared machine, run it under the same lock as Maven builds, e.g.
#   flock /tmp/mvn.lock load-tests/soak.sh
# (it never takes the lock itself).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

build=false
pass=()
for arg in "$@"; do
  case "$arg" in
    --build) build=true ;;
    --minutes=*|--seconds=*|--rate=*|--new-per-second=*|--session-timeout=*|--subject-life=*|--cycle=*|\
    --fault-seconds=*|--jit-warmup=*|--ramp=*|--warmup=*|--sample-seconds=*) pass+=("$arg") ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "soak.sh: unknown option $arg (see --help)" >&2; exit 2 ;;
  esac
done

gateway_jar="gateway-app/target/gateway-app.jar"
emulator_jar="$(ls salesforce-emulator/target/salesforce-emulator-*-exec.jar 2>/dev/null | head -1 || true)"
classpath_file="load-tests/target/test-classpath.txt"
if $build || [ ! -f "$gateway_jar" ] || [ -z "$emulator_jar" ] || [ ! -f "$classpath_file" ] \
    || [ ! -f load-tests/target/test-classes/io/sfgateway/loadtests/bench/Soak.class ]; then
  echo "soak.sh: building the jars (./mvnw install -DskipTests -pl load-tests -am)"
  ./mvnw -B -q -o -DskipTests install -pl load-tests -am || ./mvnw -B -q -DskipTests install -pl load-tests -am
  emulator_jar="$(ls salesforce-emulator/target/salesforce-emulator-*-exec.jar | head -1)"
fi

cp="load-tests/target/test-classes:load-tests/target/classes:$(cat "$classpath_file")"
out="load-tests/target/soak"
mkdir -p "$out"

java -Xmx512m -XX:+UseSerialGC -cp "$cp" io.sfgateway.loadtests.bench.Soak \
  --out="$out" \
  --gateway-jar="$gateway_jar" \
  --emulator-jar="$emulator_jar" \
  --command="load-tests/soak.sh $*" \
  "${pass[@]}" &
driver=$!
# The driver stops the JVMs it started (SIGTERM, then SIGKILL) on its way out; make sure it is asked to.
trap 'kill -TERM "$driver" 2>/dev/null || true; wait "$driver" 2>/dev/null || true' EXIT INT TERM
status=0
wait "$driver" || status=$?
trap - EXIT INT TERM
exit $status
