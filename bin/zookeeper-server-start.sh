#!/usr/bin/env bash
# zookeeper-server-start.sh: Starts the installed ZooKeeper: zookeeper-server-start.sh [-daemon] zookeeper.properties
# Runs the compiled tool through kafka-run-class.sh, like Kafka's bin scripts; KAFKA_SCRIPT_NAME is this script.
KAFKA_SCRIPT_NAME="$0" exec "$(dirname "$0")/kafka-run-class.sh" zookeeper-server-start "$@"
