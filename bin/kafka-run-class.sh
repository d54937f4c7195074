#!/usr/bin/env bash
# kafka-run-class.sh <tool> [args...]: runs the compiled tool dist/src/tools/<tool>.js with node, passing
# every argument, like Kafka's kafka-run-class.sh runs a class. The bin/ tool scripts are one-liners over it.
# LOG_DIR defaults to <install>/logs; KAFKA_NODE_OPTS are passed to node; KAFKA_SCRIPT_NAME (the name tools
# print in their usage lines) is set by the calling script, else it is this script's.
base=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -lt 1 ]; then
  echo "USAGE: $0 tool [args...]" >&2
  exit 1
fi
tool="$base/dist/src/tools/$1.js"
shift
if [ ! -f "$tool" ]; then
  echo "ts-kafka is not built: run 'npm ci && npm run build' in $base" >&2
  exit 1
fi
export LOG_DIR="${LOG_DIR:-$base/logs}"
export KAFKA_SCRIPT_NAME="${KAFKA_SCRIPT_NAME:-$0}"
exec node $KAFKA_NODE_OPTS "$tool" "$@"
