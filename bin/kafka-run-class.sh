#!/usr/bin/env bash
# kafka-run-class.sh <tool> [args...]: runs the compiled tool dist/src/tools/<tool>.js with node, passing
# every argument, like Kafka's kafka-run-class.sh runs a class (Kafka's class names of its tools work too, e.g.
# kafka.tools.GetOffsetShell). The bin/ tool scripts are one-liners over it.
# LOG_DIR defaults to <install>/logs; KAFKA_NODE_OPTS are passed to node; KAFKA_SCRIPT_NAME (the name tools
# print in their usage lines) is set by the calling script, else it is this script's.
base=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -lt 1 ]; then
  echo "USAGE: $0 tool [args...]" >&2
  exit 1
fi
# Runbooks written for Kafka call tools by their class name: those map to the tool of that class.
case "$1" in
  kafka.admin.TopicCommand|org.apache.kafka.tools.TopicCommand) name=kafka-topics ;;
  kafka.admin.ConfigCommand) name=kafka-configs ;;
  kafka.admin.ConsumerGroupCommand|org.apache.kafka.tools.consumer.group.ConsumerGroupCommand) name=kafka-consumer-groups ;;
  kafka.admin.ReassignPartitionsCommand|org.apache.kafka.tools.reassign.ReassignPartitionsCommand) name=kafka-reassign-partitions ;;
  kafka.admin.LeaderElectionCommand|org.apache.kafka.tools.LeaderElectionCommand) name=kafka-leader-election ;;
  kafka.admin.DeleteRecordsCommand|org.apache.kafka.tools.DeleteRecordsCommand) name=kafka-delete-records ;;
  kafka.admin.LogDirsCommand|org.apache.kafka.tools.LogDirsCommand) name=kafka-log-dirs ;;
  kafka.admin.BrokerApiVersionsCommand) name=kafka-broker-api-versions ;;
  kafka.tools.GetOffsetShell|org.apache.kafka.tools.GetOffsetShell) name=kafka-get-offsets ;;
  kafka.tools.DumpLogSegments) name=kafka-dump-log ;;
  kafka.tools.ConsoleProducer|org.apache.kafka.tools.ConsoleProducer) name=kafka-console-producer ;;
  kafka.tools.ConsoleConsumer|org.apache.kafka.tools.consumer.ConsoleConsumer) name=kafka-console-consumer ;;
  org.apache.kafka.tools.ProducerPerformance) name=kafka-producer-perf-test ;;
  kafka.tools.ConsumerPerformance|org.apache.kafka.tools.ConsumerPerformance) name=kafka-consumer-perf-test ;;
  kafka.*|org.apache.*)
    echo "ts-kafka has no tool for class $1" >&2
    exit 1
    ;;
  *) name=$1 ;;
esac
tool="$base/dist/src/tools/$name.js"
shift
if [ ! -f "$tool" ]; then
  echo "ts-kafka is not built: run 'npm ci && npm run build' in $base" >&2
  exit 1
fi
export LOG_DIR="${LOG_DIR:-$base/logs}"
export KAFKA_SCRIPT_NAME="${KAFKA_SCRIPT_NAME:-$0}"
exec node $KAFKA_NODE_OPTS "$tool" "$@"
