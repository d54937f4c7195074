#!/usr/bin/env bash
# kafka-console-consumer.sh: Reads records from Kafka topics and prints them to standard output (Kafka's ConsoleConsumer).
# Runs the compiled tool through kafka-run-class.sh, like Kafka's bin scripts; KAFKA_SCRIPT_NAME is this script.
KAFKA_SCRIPT_NAME="$0" exec "$(dirname "$0")/kafka-run-class.sh" kafka-console-consumer "$@"
