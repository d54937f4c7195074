#!/usr/bin/env bash
# kafka-server-stop.sh: Stops the running ts-kafka brokers (SIGTERM, or $SIGNAL); --node-id=N stops one.
# Runs the compiled tool through kafka-run-class.sh, like Kafka's bin scripts; KAFKA_SCRIPT_NAME is this script.
KAFKA_SCRIPT_NAME="$0" exec "$(dirname "$0")/kafka-run-class.sh" kafka-server-stop "$@"
