#!/usr/bin/env bash
# kafka-configs.sh: Describe or change topic and broker configs (Kafka's ConfigCommand).
# Runs the compiled tool through kafka-run-class.sh, like Kafka's bin scripts; KAFKA_SCRIPT_NAME is this script.
KAFKA_SCRIPT_NAME="$0" exec "$(dirname "$0")/kafka-run-class.sh" kafka-configs "$@"
