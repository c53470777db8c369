#!/usr/bin/env bash
# The benchmark: it measures the contract's performance promises and prints a verdict per promise. One emulated org
# in its own process; limit (a plain Spring Cloud Gateway route with a static Authorization header) and ours
# (gateway-app.jar as shipped) loaded at once; three replicas with the shared store on (redis-server). Writes
# load-tests/target/bench/summary.json, summary.md and the charts (chart-*.png).
#
#   load-tests/bench.sh --quick      # a few minutes: short rounds, no JIT settling: a smoke run, NOT a measurement
#   load-tests/bench.sh --full       # the measurement: 7 rounds after the JIT has settled
#   options: --explore (also the peer gateway, floor and peer saturated, limit/ours warm/peer at one connection,
#            the half-rate fixed-rate runs, and profiles: JFR, or async-profiler with --async-profiler=<lib.so>),
#            --rounds=N, --no-shared (leave out the shared store), --build (rebuild the jars first)
#
# On a shared machine, run it under the same lock as Maven builds, e.g.
#   flock /tmp/mvn.lock load-tests/bench.sh --quick
# (it never takes the lock itself). Needs wrk: installed with apt-get when missing and running as root.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

mode=--quick
build=false
pass=()
for arg in "$@"; do
  case "$arg" in
    --quick|--full) mode="$arg" ;;
    --build) build=true ;;
    --explore|--profile-seconds=*|--async-profiler=*|--rounds=*|--no-shared) pass+=("$arg") ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown option $arg (see --help)" >&2; exit 2 ;;
  esac
done

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bench.sh: installing wrk (apt-get)"
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y wrk >/dev/null; }
  else
    echo "bench.sh: wrk is missing; install it (Debian/Ubuntu: apt-get install wrk)" >&2
    exit 1
  fi
fi

gateway_jar="gateway-app/target/gateway-app.jar"
emulator_jar="$(ls salesforce-emulator/target/salesforce-emulator-*-exec.jar 2>/dev/null | head -1 || true)"
peer_jar="load-tests/target/peer-gateway.jar"
classpath_file="load-tests/target/test-classpath.txt"
if $build || [ ! -f "$gateway_jar" ] || [ -z "$emulator_jar" ] || [ ! -f "$peer_jar" ] || [ ! -f "$classpath_file" ] \
    || [ ! -d load-tests/target/test-classes/io/sfgateway/loadtests/bench ]; then
  # package, not install: the reactor resolves the modules from their target/ directories, ~/.m2 is left alone.
  echo "bench.sh: building the jars (./mvnw package -DskipTests -pl load-tests -am)"
  ./mvnw -B -q -o -DskipTests package -pl load-tests -am || ./mvnw -B -q -DskipTests package -pl load-tests -am
  emulator_jar="$(ls salesforce-emulator/target/salesforce-emulator-*-exec.jar | head -1)"
fi

smoke_note="bench.sh --quick: a SMOKE RUN that checks every stage works, NOT A MEASUREMENT (use --full on a quiet machine)"
[ "$mode" = --quick ] && echo "$smoke_note"

cp="load-tests/target/test-classes:load-tests/target/classes:$(cat "$classpath_file")"
out="load-tests/target/bench"
mkdir -p "$out"

# -Xmx1g: the heap per session is measured in this JVM (100,000 sessions and JOL's walk of them); JOL reads the
# fields of JDK classes, hence the --add-opens.
java -Xmx1g -XX:+UseSerialGC -Djava.awt.headless=true -Djol.magicFieldOffset=true -Djdk.attach.allowAttachSelf=true \
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED \
  -cp "$cp" io.sfgateway.loadtests.bench.Bench "$mode" \
  --out="$out" \
  --gateway-jar="$gateway_jar" \
  --emulator-jar="$emulator_jar" \
  --peer-jar="$peer_jar" \
  --wrk="$(command -v wrk)" \
  --command="load-tests/bench.sh $*" \
  "${pass[@]}" &
driver=$!
# The driver stops the JVMs it started (SIGTERM, then SIGKILL) on its way out; make sure it is asked to.
trap 'kill -TERM "$driver" 2>/dev/null || true; wait "$driver" 2>/dev/null || true' EXIT INT TERM
wait "$driver"
status=$?
trap - EXIT INT TERM
[ "$mode" = --quick ] && echo "$smoke_note"
exit $status
