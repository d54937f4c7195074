/**
 * zookeeper-server-stop.sh: sends SIGTERM (or $SIGNAL) to the running ZooKeeper servers (QuorumPeerMain
 * JVMs), as Kafka's script does; "No zookeeper server to stop" and exit 1 when there is none.
 * Extension: given a zookeeper.properties path, only the server started with that file is stopped.
 */

import * as os from 'node:os';
import * as path from 'node:path';
import { isZooKeeperServer, listProcesses } from './process-finder';
import { runTool, type ToolIO } from './tool-support';

/** Runs zookeeper-server-stop with `args`; resolves with the exit code. */
export async function zookeeperServerStopMain(
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
  const only = args[0] !== undefined ? path.resolve(args[0]) : undefined;
  const servers = listProcesses().filter((p) => {
    if (!isZooKeeperServer(p.argv)) return false;
    if (only === undefined) return true;
    const config = p.argv[p.argv.length - 1]!;
    const resolved = path.isAbsolute(config) || p.cwd === undefined ? config : path.join(p.cwd, config);
    return path.resolve(resolved) === only;
  });
  if (servers.length === 0) {
    io.out('No zookeeper server to stop\n');
    return 1;
  }
  let status = 0;
  for (const p of servers) {
    try {
      process.kill(p.pid, signame);
    } catch (err) {
      io.err(`kill: (${p.pid}) - ${(err as NodeJS.ErrnoException).code === 'EPERM' ? 'Operation not permitted' : 'No such process'}\n`);
      status = 1;
    }
  }
  return status;
}

if (require.main === module) runTool((args, io) => zookeeperServerStopMain(args, io));
