#!/usr/bin/env bash
# kafka-consumer-perf-test.sh: Kafka's ConsumerPerformance: consumes records and prints the throughput.
# Runs the compiled tool through kafka-run-class.sh, like Kafka's bin scripts; KAFKA_SCRIPT_NAME is this script.
KAFKA_SCRIPT_NAME="$0" exec "$(dirname "$0")/kafka-run-class.sh" kafka-consumer-perf-test "$@"
