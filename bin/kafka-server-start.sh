#!/usr/bin/env bash
# Starts a ts-kafka broker: kafka-server-start.sh [-daemon] server.properties [--override property=value]*
# With -daemon the broker runs in the background and its console output goes to $LOG_DIR/kafkaServer.out.
base=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -lt 1 ]; then
  echo "USAGE: $0 [-daemon] server.properties [--override property=value]*"
  exit 1
fi
daemon=0
args=()
for a in "$@"; do
  if [ "$a" = "-daemon" ]; then daemon=1; else args+=("$a"); fi
done
export LOG_DIR="${LOG_DIR:-$base/logs}"
mkdir -p "$LOG_DIR"
main="$base/dist/src/server/main.js"
if [ ! -f "$main" ]; then
  echo "ts-kafka is not built: run 'npm ci && npm run build' in $base" >&2
  exit 1
fi
if [ "$daemon" = 1 ]; then
  nohup node $KAFKA_NODE_OPTS "$main" "${args[@]}" > "$LOG_DIR/kafkaServer.out" 2>&1 < /dev/null &
  exit 0
fi
exec node $KAFKA_NODE_OPTS "$main" "${args[@]}"
