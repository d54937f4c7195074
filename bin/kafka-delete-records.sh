#!/usr/bin/env bash
# kafka-delete-records.sh: Delete records of partitions down to given offsets (Kafka's DeleteRecordsCommand).
# Runs the compiled tool through kafka-run-class.sh, like Kafka's bin scripts; KAFKA_SCRIPT_NAME is this script.
KAFKA_SCRIPT_NAME="$0" exec "$(dirname "$0")/kafka-run-class.sh" kafka-delete-records "$@"
