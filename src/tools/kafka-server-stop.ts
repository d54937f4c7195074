/**
 * kafka-server-stop.sh: sends SIGTERM (or $SIGNAL) to the running ts-kafka brokers, found by command
 * line as Kafka's script finds `kafka.Kafka` JVMs; prints "No kafka server to stop" and exits 1 when
 * there is none. As in Kafka 3.9, `--node-id=N` stops only the broker with that id and
 * `--process-role=broker` selects brokers (every ZooKeeper-mode server is one; `controller` selects none).
 */

import * as os from 'node:os';
import { brokerIdOf, brokerMainIndex, listProcesses } from './process-finder';
import { runTool, type ToolIO } from './tool-support';

/** Runs kafka-server-stop with `args`; resolves with the exit code. */
export async function kafkaServerStopMain(
  args: string[],
  io: ToolIO,
  options: { env?: NodeJS.ProcessEnv } = {},
): Promise<number> {
  const env = options.env ?? process.env;
  const signal = (env.SIGNAL ?? 'TERM').toUpperCase().replace(/^SIG/, '');
  const signame = `SIG${signal}` as NodeJS.Signals;
  if (!(signame in os.constants.signals)) {
    io.err(`kill: ${signal}: invalid signal specification\n`);
    return 1;
  }
  let nodeId: number | undefined;
  let role: string | undefined;
  for (const arg of args) {
    if (arg.startsWith('--node-id=')) nodeId = Number(arg.slice('--node-id='.length));
    else if (arg.startsWith('--process-role=')) role = arg.slice('--process-role='.length);
  }
  let brokers = listProcesses().filter((p) => brokerMainIndex(p.argv) >= 0);
  if (role !== undefined && role !== 'broker') brokers = [];
  if (nodeId !== undefined) brokers = brokers.filter((p) => brokerIdOf(p) === nodeId);
  if (brokers.length === 0) {
    io.out('No kafka server to stop\n');
    return 1;
  }
  let status = 0;
  for (const p of brokers) {
    try {
      process.kill(p.pid, signame);
    } catch (err) {
      io.err(`kill: (${p.pid}) - ${(err as NodeJS.ErrnoException).code === 'EPERM' ? 'Operation not permitted' : 'No such process'}\n`);
      status = 1;
    }
  }
  return status;
}

if (require.main === module) runTool((args, io) => kafkaServerStopMain(args, io));
