#!/usr/bin/env bash
# kafka-topics.sh: Create, delete, describe, or change a topic (Kafka's TopicCommand).
# Runs the compiled tool through kafka-run-class.sh, like Kafka's bin scripts; KAFKA_SCRIPT_NAME is this script.
KAFKA_SCRIPT_NAME="$0" exec "$(dirname "$0")/kafka-run-class.sh" kafka-topics "$@"
