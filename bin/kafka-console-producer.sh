#!/usr/bin/env bash
# kafka-console-producer.sh: Reads lines from standard input and publishes them to Kafka (Kafka's ConsoleProducer).
# Runs the compiled tool through kafka-run-class.sh, like Kafka's bin scripts; KAFKA_SCRIPT_NAME is this script.
KAFKA_SCRIPT_NAME="$0" exec "$(dirname "$0")/kafka-run-class.sh" kafka-console-producer "$@"
