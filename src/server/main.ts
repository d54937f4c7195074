/**
 * Entry point of `bin/kafka-server-start.sh`: `node dist/src/server/main.js server.properties
 * [--override key=value]...`.
 *
 * An invalid configuration prints a message naming the property and exits 1; a startup failure logs
 * Kafka's "Fatal error during KafkaServer startup" and exits 1; SIGTERM and SIGINT shut the broker down
 * cleanly (exit 0).
 */
import path from 'node:path';
import { loadBrokerConfig } from '../config/broker-config';
import { createLogging } from '../common/logger';
import { KafkaServer } from './kafka-server';
import { installDir } from '../common/install-dir';

const USAGE = 'USAGE: kafka-server-start.sh [-daemon] server.properties [--override property=value]*';

export async function main(argv: string[]): Promise<number> {
  const args = argv.filter((a) => a !== '-daemon');
  if (args.length === 0 || args[0] === '--help' || args[0] === '-h') {
    process.stderr.write(`${USAGE}\n`);
    return args.length === 0 ? 1 : 0;
  }
  const file = args[0]!;
  const overrides: string[] = [];
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--override' && i + 1 < args.length) overrides.push(args[++i]!);
    else if (a.startsWith('--override=')) overrides.push(a.slice('--override='.length));
    else {
      process.stderr.write(`Found non argument parameters: ${a}\nOption Description\n--override <String> Optional property that should override values set in server.properties file\n`);
      return 1;
    }
  }
  let config;
  try {
    config = loadBrokerConfig({ file, overrides });
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  const home = installDir();
  const logging = createLogging({
    configFile: process.env.KAFKA_LOG4J_CONFIG ?? path.join(home, 'conf', 'log4j.properties'),
    logDir: process.env.LOG_DIR ?? path.join(home, 'logs'),
  });
  const log = logging.logger('kafka.Kafka', '');
  for (const w of config.warnings) log.warn(w);
  const server = new KafkaServer(config, logging);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`Received ${signal}, shutting down`);
    server.shutdown().then(
      () => logging.close().finally(() => process.exit(0)),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  try {
    await server.startup();
  } catch (err) {
    logging.logger('kafka.server.KafkaServer', `KafkaServer id=${server.brokerId}`).error(
      'Fatal error during KafkaServer startup. Prepare to shutdown',
      err,
    );
    await server.shutdown().catch(() => undefined);
    await logging.close().catch(() => undefined);
    return 1;
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code !== 0) process.exit(code);
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
