#!/usr/bin/env bash
# kafka-dump-log.sh: Print the contents of log segments, indexes and snapshots (Kafka's DumpLogSegments).
# Runs the compiled tool through kafka-run-class.sh, like Kafka's bin scripts; KAFKA_SCRIPT_NAME is this script.
KAFKA_SCRIPT_NAME="$0" exec "$(dirname "$0")/kafka-run-class.sh" kafka-dump-log "$@"
