// Bootstrap and broker registration against a real ZooKeeper: top-level paths, cluster id, generated broker
// ids, the registration multi (dataVersion 1, czxid as broker epoch), duplicate ids and endpoints refused
// while the owner lives, and re-registration after a forced session expiry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startZooKeeper, expireSession, type TestZooKeeper } from '../harness/zookeeper';
import { KafkaZkClient } from '../../src/zk/kafka-zk-client';
import { BrokerEndpointInUseError, BrokerIdInUseError } from '../../src/zk/zk-errors';
import { SecurityProtocol, type BrokerInfo } from '../../src/zk/zk-types';
import { MockTime } from '../../src/common/time';

let zk: TestZooKeeper;
const clients: KafkaZkClient[] = [];

before(async () => {
  zk = await startZooKeeper();
});

after(async () => {
  for (const c of clients) await c.close();
  await zk.stop();
});

async function client(chroot: string, options: { time?: MockTime } = {}): Promise<KafkaZkClient> {
  const c = await KafkaZkClient.connect({ connectString: `${zk.connectString}${chroot}`, sessionTimeoutMs: 6000, ...options });
  clients.push(c);
  return c;
}

function broker(id: number, port: number, options: Partial<BrokerInfo> = {}): BrokerInfo {
  return {
    id,
    endpoints: [{ listenerName: 'PLAINTEXT', host: 'localhost', port, securityProtocol: SecurityProtocol.PLAINTEXT }],
    ...options,
  };
}

test('createTopLevelPaths creates the persistent bootstrap nodes, without data, idempotently', { timeout: 60_000 }, async () => {
  const c = await client('/bootstrap');
  await c.createTopLevelPaths();
  await c.createTopLevelPaths();
  const s = c.session;
  assert.deepEqual((await s.getChildren('/')).sort(), [
    'admin',
    'brokers',
    'config',
    'consumers',
    'isr_change_notification',
    'latest_producer_id_block',
    'log_dir_event_notification',
  ]);
  assert.deepEqual((await s.getChildren('/brokers')).sort(), ['ids', 'seqid', 'topics']);
  assert.deepEqual((await s.getChildren('/config')).sort(), ['brokers', 'changes', 'clients', 'ips', 'topics', 'users']);
  assert.deepEqual(await s.getChildren('/admin'), ['delete_topics']);
  for (const p of ['/consumers', '/brokers/seqid', '/config/changes', '/latest_producer_id_block']) {
    assert.equal((await s.getData(p)).data.length, 0, p);
  }
});

test('the cluster id is a 22-char URL-safe base64 UUID, created once and stable', { timeout: 60_000 }, async () => {
  const a = await client('/cluster');
  const b = await client('/cluster');
  assert.equal(await a.getClusterId(), null);
  const id = await a.getOrCreateClusterId();
  assert.match(id, /^[A-Za-z0-9_-]{22}$/);
  assert.equal(await a.getOrCreateClusterId(), id);
  assert.equal(await b.getOrCreateClusterId(), id);
  assert.equal(await b.createOrGetClusterId('AAAAAAAAAAAAAAAAAAAAAA'), id);
  assert.equal((await a.session.getData('/cluster/id')).data.toString(), `{"version":"1","id":"${id}"}`);
});

test('generated broker ids: /brokers/seqid dataVersion + reserved.broker.max.id', { timeout: 60_000 }, async () => {
  const c = await client('/seqid');
  await c.createTopLevelPaths();
  assert.equal(await c.generateBrokerId(), 1001);
  assert.equal(await c.generateBrokerId(), 1002);
  assert.equal(await c.generateBrokerId(500), 503);
  const fresh = await client('/seqid-missing');
  assert.equal(await fresh.generateBrokerId(), 1001, 'creates /brokers/seqid when missing');
});

test('registerBroker: ephemeral node at dataVersion 1, broker epoch = czxid, Kafka v5 JSON', { timeout: 60_000 }, async () => {
  const time = new MockTime({ startMs: 1730000000001 });
  const c = await client('/register', { time });
  await c.createTopLevelPaths();
  const info: BrokerInfo = {
    id: 1,
    endpoints: [
      { listenerName: 'INTERNAL', host: 'kafka-1.internal', port: 9092, securityProtocol: SecurityProtocol.PLAINTEXT },
      { listenerName: 'EXTERNAL', host: 'kafka-1.example.com', port: 9093, securityProtocol: SecurityProtocol.SASL_SSL },
    ],
    rack: 'us-east-1a',
  };
  const epoch = await c.registerBroker(info);
  const { data, stat } = await c.session.getData('/brokers/ids/1');
  assert.equal(stat.version, 1);
  assert.equal(stat.czxid, epoch);
  assert.equal(stat.ephemeralOwner, c.session.sessionId);
  assert.equal(
    data.toString(),
    '{"features":{},"listener_security_protocol_map":{"INTERNAL":"PLAINTEXT","EXTERNAL":"SASL_SSL"},' +
      '"endpoints":["INTERNAL://kafka-1.internal:9092","EXTERNAL://kafka-1.example.com:9093"],' +
      '"rack":"us-east-1a","jmx_port":-1,"port":9092,"host":"kafka-1.internal","version":5,' +
      '"timestamp":"1730000000001"}',
  );
  const read = await c.getBrokerAndEpoch(1);
  assert.equal(read?.epoch, epoch);
  assert.deepEqual(read?.broker.endpoints, info.endpoints);
  assert.equal(read?.broker.rack, 'us-east-1a');

  // registering again in the same session is idempotent (Kafka accepts a node owned by its session)
  assert.equal(await c.registerBroker(info), epoch);

  await c.updateBrokerInfo({ ...info, rack: 'us-east-1b' });
  assert.equal((await c.getBroker(1))?.rack, 'us-east-1b');
  assert.equal((await c.session.exists('/brokers/ids/1'))?.version, 2);
});

test('a broker id held by another live session is refused; free again once that session closes', { timeout: 60_000 }, async () => {
  const first = await client('/duplicate');
  await first.createTopLevelPaths();
  await first.registerBroker(broker(5, 9092));
  const second = await KafkaZkClient.connect({ connectString: `${zk.connectString}/duplicate`, sessionTimeoutMs: 6000 });
  clients.push(second);
  await assert.rejects(second.registerBroker(broker(5, 9093)), (e) => {
    assert.ok(e instanceof BrokerIdInUseError);
    assert.equal(e.code, 'NODEEXISTS');
    assert.equal(e.brokerId, 5);
    assert.match(e.message, /broker\.id 5 is in use/);
    return true;
  });
  await first.close();
  const epoch = await second.registerBroker(broker(5, 9093));
  assert.equal((await second.getBrokerAndEpoch(5))?.epoch, epoch);
});

test('a host:port advertised by another registered broker is refused', { timeout: 60_000 }, async () => {
  const a = await client('/endpoints');
  const b = await client('/endpoints');
  await a.createTopLevelPaths();
  await a.registerBroker(broker(1, 9092));
  await assert.rejects(
    b.registerBroker(broker(2, 9092)),
    (e) => e instanceof BrokerEndpointInUseError && e.otherBrokerId === 1 && /localhost:9092/.test(e.message),
  );
  await b.registerBroker(broker(2, 9094));
  assert.deepEqual(await a.getSortedBrokerIdList(), [1, 2]);
  const all = await a.getAllBrokerAndEpochsInCluster();
  assert.deepEqual(
    all.map((x) => x.broker.id),
    [1, 2],
  );
  assert.ok(all[1].epoch > all[0].epoch);
  assert.deepEqual(
    (await a.getAllBrokersInCluster()).map((x) => x.endpoints[0].port),
    [9092, 9094],
  );
});

test('after a forced session expiry the broker re-registers with a new epoch', { timeout: 60_000 }, async () => {
  const c = await client('/reregister');
  const observer = await client('/reregister');
  await c.createTopLevelPaths();
  const epoch = await c.registerBroker(broker(7, 9092));
  const reestablished = new Promise<void>((resolve, reject) => {
    c.session.once('sessionReestablished', () => {
      // what the broker does in its afterInitializingSession handler
      c.registerBroker(broker(7, 9092)).then(() => resolve(), reject);
    });
  });
  await expireSession(c.session);
  await reestablished;
  const after = await observer.getBrokerAndEpoch(7);
  assert.ok(after !== null);
  assert.ok(after.epoch > epoch, 'a new registration has a newer czxid');
  assert.equal((await observer.session.exists('/brokers/ids/7'))?.ephemeralOwner, c.session.sessionId);
});
