#!/usr/bin/env bash
# kafka-get-offsets.sh: Print the offsets of topic partitions at a given time (Kafka's GetOffsetShell).
# Runs the compiled tool through kafka-run-class.sh, like Kafka's bin scripts; KAFKA_SCRIPT_NAME is this script.
KAFKA_SCRIPT_NAME="$0" exec "$(dirname "$0")/kafka-run-class.sh" kafka-get-offsets "$@"
