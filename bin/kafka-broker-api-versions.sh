#!/usr/bin/env bash
# kafka-broker-api-versions.sh: Print the API versions every broker supports (Kafka's BrokerApiVersionsCommand).
# A thin wrapper, like Kafka's bin scripts: runs the compiled tool with node, passing every argument.
base=$(cd "$(dirname "$0")/.." && pwd)
tool="$base/dist/src/tools/kafka-broker-api-versions.js"
if [ ! -f "$tool" ]; then
  echo "ts-kafka is not built: run 'npm ci && npm run build' in $base" >&2
  exit 1
fi
export LOG_DIR="${LOG_DIR:-$base/logs}"
export KAFKA_SCRIPT_NAME="$0"
exec node $KAFKA_NODE_OPTS "$tool" "$@"
