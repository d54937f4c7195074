/**
 * zookeeper-server-stop.sh: sends SIGTERM (or $SIGNAL) to the running ZooKeeper servers (QuorumPeerMain
 * JVMs), as Kafka's script does; "No zookeeper server to stop" and exit 1 when there is none.
 * Extension: given a zookeeper.properties path, only the server started with that file is stopped.
 */

import * as path from 'node:path';
import { isZooKeeperServer, listProcesses, stopProcesses } from './process-finder';
import { runTool, type ToolIO } from './tool-support';

/** Runs zookeeper-server-stop with `args`; resolves with the exit code. */
export async function zookeeperServerStopMain(
  args: string[],
  io: ToolIO,
  options: { env?: NodeJS.ProcessEnv } = {},
): Promise<number> {
  const only = args[0] !== undefined ? path.resolve(args[0]) : undefined;
  return stopProcesses(io, {
    env: options.env ?? process.env,
    what: 'zookeeper server',
    select: () =>
      listProcesses().filter((p) => {
        if (!isZooKeeperServer(p.argv)) return false;
        if (only === undefined) return true;
        const config = p.argv[p.argv.length - 1]!;
        const resolved = path.isAbsolute(config) || p.cwd === undefined ? config : path.join(p.cwd, config);
        return path.resolve(resolved) === only;
      }),
  });
}

if (require.main === module) runTool((args, io) => zookeeperServerStopMain(args, io));
