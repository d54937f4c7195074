#!/usr/bin/env bash
# One command from a fresh clone to a running broker:
#   1. installs what is missing (npm dependencies, Debian's zookeeper package) and builds;
#   2. starts a local ZooKeeper (conf/zookeeper.properties) when zookeeper.connect points at nothing running;
#   3. runs a broker with conf/server.properties (localhost:9092) in the foreground; Ctrl-C stops it cleanly.
# Usage: bin/ts-kafka-quickstart.sh [server.properties] [--override property=value]*
set -euo pipefail
base=$(cd "$(dirname "$0")/.." && pwd)
cd "$base"

bash .ci/install-deps.sh --runtime
if [ ! -f dist/src/server/main.js ] || [ -n "$(find src -name '*.ts' -newer dist/src/server/main.js | head -n 1)" ]; then
  echo "Building ts-kafka"
  npm run build --silent
fi

config="conf/server.properties"
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then config="$1"; shift; fi
connect=$(sed -n 's/^[[:space:]]*zookeeper\.connect[[:space:]]*[=:][[:space:]]*//p' "$config" | tail -n 1 | tr -d '[:space:]')
for ((i = 1; i <= $#; i++)); do
  if [ "${!i}" = "--override" ]; then j=$((i + 1)); case "${!j:-}" in zookeeper.connect=*) connect="${!j#zookeeper.connect=}";; esac; fi
done
first="${connect%%,*}"; first="${first%%/*}"
zk_host="${first%%:*}"; zk_port="${first##*:}"
[ "$zk_port" = "$first" ] && zk_port=2181

zk_up() { (exec 3<>"/dev/tcp/$zk_host/$zk_port") 2>/dev/null; }
if ! zk_up; then
  case "$zk_host" in
    localhost|127.*|::1|"$(hostname)")
      echo "No ZooKeeper answers at $zk_host:$zk_port: starting a local one with conf/zookeeper.properties"
      bin/zookeeper-server-start.sh -daemon conf/zookeeper.properties
      for _ in $(seq 1 60); do zk_up && break; sleep 0.5; done
      zk_up || { echo "ZooKeeper did not start; see logs/zookeeper.out" >&2; exit 1; }
      ;;
    *)
      echo "ZooKeeper at $connect is not reachable (zookeeper.connect in $config)" >&2
      exit 1
      ;;
  esac
fi
exec bin/kafka-server-start.sh "$config" "$@"
