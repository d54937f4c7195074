#!/usr/bin/env bash
# kafka-producer-perf-test.sh: Kafka's ProducerPerformance: produces records as fast as asked and prints throughput and latency.
# Runs the compiled tool through kafka-run-class.sh, like Kafka's bin scripts; KAFKA_SCRIPT_NAME is this script.
KAFKA_SCRIPT_NAME="$0" exec "$(dirname "$0")/kafka-run-class.sh" kafka-producer-perf-test "$@"
