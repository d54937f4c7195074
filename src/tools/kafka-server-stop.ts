/**
 * kafka-server-stop.sh: sends SIGTERM (or $SIGNAL) to the running ts-kafka brokers, found by command
 * line as Kafka's script finds `kafka.Kafka` JVMs; prints "No kafka server to stop" and exits 1 when
 * there is none. As in Kafka 3.9, `--node-id=N` stops only the broker with that id and
 * `--process-role=broker` selects brokers (every ZooKeeper-mode server is one; `controller` selects none).
 */

import { brokerIdOf, brokerMainIndex, listProcesses, stopProcesses } from './process-finder';
import { runTool, type ToolIO } from './tool-support';

/** Runs kafka-server-stop with `args`; resolves with the exit code. */
export async function kafkaServerStopMain(
  args: string[],
  io: ToolIO,
  options: { env?: NodeJS.ProcessEnv } = {},
): Promise<number> {
  let nodeId: number | undefined;
  let role: string | undefined;
  for (const arg of args) {
    if (arg.startsWith('--node-id=')) nodeId = Number(arg.slice('--node-id='.length));
    else if (arg.startsWith('--process-role=')) role = arg.slice('--process-role='.length);
  }
  return stopProcesses(io, {
    env: options.env ?? process.env,
    what: 'kafka server',
    select: () => {
      // Every ZooKeeper-mode server is a broker; the controller role selects none.
      if (role !== undefined && role !== 'broker') return [];
      const brokers = listProcesses().filter((p) => brokerMainIndex(p.argv) >= 0);
      return nodeId === undefined ? brokers : brokers.filter((p) => brokerIdOf(p) === nodeId);
    },
  });
}

if (require.main === module) runTool((args, io) => kafkaServerStopMain(args, io));
