// kafka-configs: Kafka's argument checks and messages, the --add-config syntax, and the --zookeeper back-end
// against a real ZooKeeper (no broker): topic configs written and described as Kafka's tool does, broker
// configs only while the broker is down.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OptionParser } from '../../src/tools/command-line';
import { kafkaConfigsMain, parseConfigsToBeAdded } from '../../src/tools/kafka-configs';
import { KafkaZkClient } from '../../src/zk/kafka-zk-client';
import { startZooKeeper, type TestZooKeeper } from '../harness/zookeeper';
import { runToolMain } from './bin-runner';

const run = (...args: string[]) => runToolMain(kafkaConfigsMain, args);

describe('kafka-configs arguments', () => {
  const refused = async (args: string[], message: string, options: { usage?: boolean } = {}) => {
    const r = await run(...args);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.out}${r.err}`);
    assert.equal(r.out, '');
    if (options.usage) {
      assert.ok(r.err.startsWith(`${message}\nOption `), r.err.slice(0, 300));
      assert.match(r.err, /--add-config <String>/);
    } else {
      assert.equal(r.err, `${message}\n`);
    }
  };

  it('no arguments and --help print the help, --version the version', async () => {
    await refused([], 'This tool helps to manipulate and describe entity config for a topic, client, user, broker, ip or client-metrics', { usage: true });
    await refused(['--help'], 'This tool helps to manipulate and describe entity config for a topic, client, user, broker, ip or client-metrics', { usage: true });
    assert.deepEqual(await run('--version'), { code: 0, out: '3.9.0\n', err: '' });
  });

  it('exactly one action, and no configs to change with --describe', async () => {
    await refused(['--bootstrap-server', 'localhost:9092', '--entity-type', 'topics'], 'Command must include exactly one action: --describe, --alter', { usage: true });
    await refused(
      ['--bootstrap-server', 'localhost:9092', '--describe', '--alter', '--entity-type', 'topics'],
      'Command must include exactly one action: --describe, --alter',
      { usage: true },
    );
    await refused(
      ['--bootstrap-server', 'localhost:9092', '--describe', '--entity-type', 'topics', '--add-config', 'a=b'],
      'Option "[describe]" can\'t be used with option "[add-config]"',
      { usage: true },
    );
  });

  it("entity types, names and connection options are checked with Kafka's messages", async () => {
    const bs = ['--bootstrap-server', 'localhost:9092'];
    await refused(['--describe', ...bs], 'At least one entity type must be specified');
    await refused(['--describe', ...bs, '--entity-type', 'topics', '--entity-type', 'topics'], 'Duplicate entity type(s) specified: topics');
    await refused(['--describe', ...bs, '--entity-type', 'users'], 'Invalid entity type users, the entity type must be one of topics, brokers with a --bootstrap-server argument');
    await refused(['--describe', '--zookeeper', 'localhost:2181', '--entity-type', 'ips'], 'Invalid entity type ips, the entity type must be one of topics, brokers with a --zookeeper argument');
    await refused(['--describe', ...bs, '--entity-type', 'topics', '--entity-type', 'brokers'], "Only 'users' and 'clients' entity types may be specified together");
    await refused(['--describe', ...bs, '--entity-type', 'brokers', '--topic', 'a'], "Only 'users' and 'clients' entity types may be specified together");
    await refused(['--describe', ...bs, '--entity-type', 'topics', '--topic', 'a'], 'Duplicate entity type(s) specified: topics');
    await refused(['--describe', ...bs, '--entity-name', 'a', '--topic', 'a'], '--entity-{type,name,default} should not be used in conjunction with specific entity flags');
    await refused(['--describe', '--entity-type', 'topics'], 'One of the required --bootstrap-server, --boostrap-controller, or --zookeeper arguments must be specified');
    await refused(['--describe', ...bs, '--zookeeper', 'localhost:2181', '--topic', 'a'], 'Only one of --bootstrap-server, --boostrap-controller, and --zookeeper can be specified');
    await refused(['--describe', '--zookeeper', 'localhost:2181', '--topic', 'a', '--all'], '--bootstrap-server must be specified for --all');
    await refused(['--describe', ...bs, '--broker', 'x'], 'The entity name for brokers must be a valid integer broker id, but it is: x');
    await refused(['--alter', ...bs, '--entity-type', 'brokers', '--add-config', 'a=b'], 'an entity-name or default entity must be specified with --alter of users, clients, brokers or ips');
    await refused(['--alter', ...bs, '--entity-type', 'topics', '--entity-default', '--add-config', 'a=b'], 'an entity name must be specified with --alter of topics');
    await refused(['--alter', ...bs, '--topic', 't'], 'At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter');
    await refused(['--alter', ...bs, '--topic', 't', '--add-config', 'a=b', '--add-config-file', '/nope'], 'Only one of --add-config or --add-config-file must be specified');
    await refused(['--alter', ...bs, '--entity-type', 'brokers', '--entity-name', '1', '--entity-default', '--add-config', 'a=b'], 'An entity name must be specified for every entity type');
    await refused(['--alter', ...bs, '--topic', 't', '--add-config', 'retention.ms'], 'requirement failed: Invalid entity config: all configs to be added must be in the format "key=val".');
    await refused(['--alter', ...bs, '--topic', 't', '--add-config', 'retention ms=1'], 'Invalid character found for config key: retention ms');
    await refused(['--describe', '--bogus'], 'bogus is not a recognized option');
  });

  it('--add-config splits pairs at commas outside square brackets', () => {
    const p = new OptionParser();
    p.withRequiredArg('add-config', '');
    p.withRequiredArg('add-config-file', '');
    const io = { out: () => undefined, err: () => undefined };
    assert.deepEqual(parseConfigsToBeAdded(p.parse(['--add-config', 'a=1, b = [x,y,z] ,c=,d=[e=f]']), io), { a: '1', b: 'x,y,z', c: '', d: 'e=f' });
    assert.throws(() => parseConfigsToBeAdded(p.parse(['--add-config', 'd=e=f']), io), /all configs to be added must be in the format/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-kafka-configs-'));
    try {
      fs.writeFileSync(path.join(dir, 'c.properties'), 'retention.ms=1000\ncleanup.policy=compact,delete\n');
      assert.deepEqual(parseConfigsToBeAdded(p.parse(['--add-config-file', path.join(dir, 'c.properties')]), io), {
        'retention.ms': '1000',
        'cleanup.policy': 'compact,delete',
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('kafka-configs --zookeeper', () => {
  let zk: TestZooKeeper;
  let client: KafkaZkClient;
  const WARNING = 'Warning: --zookeeper is deprecated and will be removed in a future version of Kafka.\nUse --bootstrap-server instead to specify a broker to connect to.\n';
  const zkRun = (...args: string[]) => run('--zookeeper', zk.connectString, ...args);

  before(async () => {
    zk = await startZooKeeper();
    // No broker and no controller: like the tool, this client writes configs without the /controller check.
    client = await KafkaZkClient.connect({ connectString: zk.connectString, enableEntityConfigControllerCheck: false });
    await client.createTopLevelPaths();
    await client.createTopicWithAssignment('orders', {}, new Map([[0, [0]]]));
  });

  after(async () => {
    await client?.close();
    await zk?.stop();
  });

  it('alters and describes topic configs, writing the znode and a change notification', async () => {
    const altered = await zkRun('--alter', '--entity-type', 'topics', '--entity-name', 'orders', '--add-config', 'retention.ms=1000,cleanup.policy=[compact,delete]');
    assert.deepEqual(altered, { code: 0, out: `${WARNING}Completed updating config for entity: topic 'orders'.\n`, err: '' });
    assert.deepEqual(await client.fetchEntityConfig('topics', 'orders'), { 'retention.ms': '1000', 'cleanup.policy': 'compact,delete' });
    const changes = await client.getConfigChangeNotifications();
    const last = (await client.getDataAndStat(`/config/changes/${changes[changes.length - 1]}`))!.data.toString();
    assert.equal(last, '{"version":2,"entity_path":"topics/orders"}');

    const described = await zkRun('--describe', '--topic', 'orders');
    assert.deepEqual(described, { code: 0, out: `${WARNING}Configs for topic 'orders' are retention.ms=1000,cleanup.policy=compact,delete\n`, err: '' });

    const deleted = await zkRun('--alter', '--topic', 'orders', '--delete-config', 'cleanup.policy');
    assert.equal(deleted.code, 0, deleted.err);
    assert.deepEqual(await client.fetchEntityConfig('topics', 'orders'), { 'retention.ms': '1000' });
  });

  it('refuses unknown deletions, unknown topics and invalid topic configs', async () => {
    const missing = await zkRun('--alter', '--topic', 'orders', '--delete-config', 'segment.bytes');
    assert.deepEqual(missing, { code: 1, out: WARNING, err: 'Invalid config(s): segment.bytes\n' });
    const unknownName = await zkRun('--alter', '--topic', 'orders', '--add-config', 'retention.mss=1');
    assert.deepEqual(unknownName, { code: 1, out: WARNING, err: 'Unknown topic config name: retention.mss\n' });
    const badValue = await zkRun('--alter', '--topic', 'orders', '--add-config', 'retention.ms=soon');
    assert.equal(badValue.code, 1);
    assert.match(badValue.err, /^Error while executing config command with args '--zookeeper .* --alter --topic orders --add-config retention\.ms=soon'\norg\.apache\.kafka\.common\.config\.ConfigException: Invalid value soon for configuration retention\.ms: Not a number of type LONG\n$/);
    const noTopic = await zkRun('--alter', '--topic', 'nope', '--add-config', 'retention.ms=1');
    assert.equal(noTopic.code, 1);
    assert.match(noTopic.err, /UnknownTopicOrPartitionException: Topic 'nope' does not exist\./);
  });

  it('writes broker configs only while the brokers concerned are down', async () => {
    const defaults = await zkRun('--alter', '--entity-type', 'brokers', '--entity-default', '--add-config', 'log.retention.ms=3600000');
    assert.deepEqual(defaults, { code: 0, out: `${WARNING}Completed updating config for entity: default brokers.\n`, err: '' });
    assert.equal((await client.getDataAndStat('/config/brokers/<default>'))!.data.toString(), '{"version":1,"config":{"log.retention.ms":"3600000"}}');
    const perBroker = await zkRun('--alter', '--broker', '0', '--add-config', 'min.insync.replicas=2');
    assert.deepEqual(perBroker, { code: 0, out: `${WARNING}Completed updating config for entity: brokers '0'.\n`, err: '' });
    const described = await zkRun('--describe', '--broker-defaults');
    assert.equal(described.out, `${WARNING}Configs for default brokers are log.retention.ms=3600000\n`);

    const readOnly = await zkRun('--alter', '--broker', '0', '--add-config', 'num.partitions=3');
    assert.equal(readOnly.code, 1);
    assert.match(readOnly.err, /ConfigException: Cannot update these configs dynamically: Set\(num\.partitions\)\n$/);

    await client.registerBroker({
      id: 0,
      endpoints: [{ listenerName: 'PLAINTEXT', host: '127.0.0.1', port: 9092, securityProtocol: 'PLAINTEXT' }],
      rack: null,
    } as Parameters<KafkaZkClient['registerBroker']>[0]);
    const running = await zkRun('--alter', '--broker', '0', '--add-config', 'min.insync.replicas=3');
    assert.deepEqual(running, {
      code: 1,
      out: WARNING,
      err:
        'requirement failed: --bootstrap-server option must be specified to update brokers configs: {add: {min.insync.replicas=3}, delete: List()} - broker 0 is running. ' +
        'Broker configuration operations using ZooKeeper are only supported if the affected broker(s) are not running.\n',
    });
    const anyRunning = await zkRun('--describe', '--entity-type', 'brokers', '--entity-default');
    assert.deepEqual(anyRunning, {
      code: 1,
      out: WARNING,
      err:
        'requirement failed: --bootstrap-server option must be specified to describe brokers - 1 brokers are running. ' +
        'Broker configuration operations using ZooKeeper are only supported if the affected broker(s) are not running.\n',
    });
    assert.deepEqual(await client.fetchEntityConfig('brokers', '0'), { 'min.insync.replicas': '2' });
  });
});
