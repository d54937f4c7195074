#!/usr/bin/env bash
# kafka-broker-api-versions.sh: Print the API versions every broker supports (Kafka's BrokerApiVersionsCommand).
# Runs the compiled tool through kafka-run-class.sh, like Kafka's bin scripts; KAFKA_SCRIPT_NAME is this script.
KAFKA_SCRIPT_NAME="$0" exec "$(dirname "$0")/kafka-run-class.sh" kafka-broker-api-versions "$@"
