#!/usr/bin/env bash
# kafka-consumer-groups.sh: List, describe, delete consumer groups and reset their offsets (Kafka's ConsumerGroupCommand).
# Runs the compiled tool through kafka-run-class.sh, like Kafka's bin scripts; KAFKA_SCRIPT_NAME is this script.
KAFKA_SCRIPT_NAME="$0" exec "$(dirname "$0")/kafka-run-class.sh" kafka-consumer-groups "$@"
