#!/usr/bin/env bash
# kafka-leader-election.sh: Elect leaders for a set of topic partitions (Kafka's LeaderElectionCommand).
# Runs the compiled tool through kafka-run-class.sh, like Kafka's bin scripts; KAFKA_SCRIPT_NAME is this script.
KAFKA_SCRIPT_NAME="$0" exec "$(dirname "$0")/kafka-run-class.sh" kafka-leader-election "$@"
