/**
 * zookeeper-server-start.sh [-daemon] zookeeper.properties: runs the machine's ZooKeeper (the Debian
 * `zookeeper` package, or $ZOOKEEPER_HOME) with the given config, as Kafka's script runs QuorumPeerMain.
 * In the foreground the server shares this terminal and stops with it (SIGINT/SIGTERM are passed on);
 * with -daemon it runs detached, its output in $LOG_DIR/zookeeper.out, and the script returns once the
 * server answers. Without a ZooKeeper installation it says how to install one and exits 1.
 */

import * as path from 'node:path';
import { LocalZooKeeperError, startLocalZooKeeper } from '../zk/local-zookeeper';
import { installDir, runTool, type ToolIO } from './tool-support';

const USAGE = (script: string) => `USAGE: ${script} [-daemon] zookeeper.properties`;

/** Runs zookeeper-server-start with `args`; resolves with the exit code. */
export async function zookeeperServerStartMain(
  args: string[],
  io: ToolIO,
  options: { env?: NodeJS.ProcessEnv } = {},
): Promise<number> {
  const env = options.env ?? process.env;
  const script = env.KAFKA_SCRIPT_NAME ?? 'zookeeper-server-start.sh';
  const daemon = args[0] === '-daemon';
  const rest = daemon ? args.slice(1) : args;
  if (rest.length < 1) {
    io.out(`${USAGE(script)}\n`);
    return 1;
  }
  const configFile = rest[0]!;
  const logDir = env.LOG_DIR ?? path.join(installDir(), 'logs');
  try {
    const zk = await startLocalZooKeeper({
      configFile,
      logDir,
      foreground: !daemon,
      heapMb: 512,
      startupTimeoutMs: 60_000,
    });
    if (daemon) return 0;
    const forward = (signal: NodeJS.Signals) => zk.process.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    const code = await zk.exited;
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
    return code ?? 0;
  } catch (err) {
    if (err instanceof LocalZooKeeperError) {
      const missing = /no Java runtime|jar|install/i.test(err.message);
      io.err(`${err.message}\n`);
      if (missing) io.err('ZooKeeper is not installed on this machine. Install it with: apt-get install -y zookeeper\n');
      return 1;
    }
    throw err;
  }
}

if (require.main === module) runTool((args, io) => zookeeperServerStartMain(args, io));
