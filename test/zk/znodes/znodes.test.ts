// Znode payloads: encoders write exactly Kafka 3.9's compact JSON (the reference layout's examples), every
// format version Kafka may have written decodes, every encoder output validates against its zk-schema/
// schema, and invalid payloads are rejected with an error naming the znode.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ZNodeDecodeError } from '../../../src/zk/zk-errors';
import { LeaderRecoveryState, SecurityProtocol, type EndPoint } from '../../../src/zk/zk-types';
import {
  BrokerIdZNode,
  ClusterIdZNode,
  ConfigEntityChangeNotificationSequenceZNode,
  ConfigEntityZNode,
  ConsumerOffset,
  ControllerEpochZNode,
  ControllerZNode,
  FeatureZNode,
  IsrChangeNotificationSequenceZNode,
  LogDirEventNotificationSequenceZNode,
  PersistentZkPaths,
  PreferredReplicaElectionZNode,
  ProducerIdBlockZNode,
  ReassignPartitionsZNode,
  TopicPartitionStateZNode,
  TopicZNode,
} from '../../../src/zk/znodes';
import { znodeValidator, ZNODE_SCHEMAS, type ZNodeSchemaName } from '../../../src/zk/znodes/znode-json';

const b = (s: string) => Buffer.from(s, 'utf8');

function assertValid(schema: ZNodeSchemaName, data: Buffer): void {
  const validate = znodeValidator(schema);
  assert.equal(validate(JSON.parse(data.toString())), true, `${schema}: ${JSON.stringify(validate.errors)}`);
}

function assertRejected(fn: () => unknown, path: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ZNodeDecodeError, `expected ZNodeDecodeError, got ${String(e)}`);
    assert.equal(e.path, path);
    assert.ok(e.message.includes(path), e.message);
    return true;
  });
}

describe('/cluster/id', () => {
  const json = '{"version":"1","id":"2lzzxQb4TKqkQ7x0dM3gJw"}';
  test('encodes exactly as Kafka (version is a string)', () => {
    assert.equal(ClusterIdZNode.encode('2lzzxQb4TKqkQ7x0dM3gJw').toString(), json);
    assertValid('cluster-id', ClusterIdZNode.encode('2lzzxQb4TKqkQ7x0dM3gJw'));
  });
  test('decodes the id; rejects invalid data naming the path', () => {
    assert.equal(ClusterIdZNode.decode(b(json)), '2lzzxQb4TKqkQ7x0dM3gJw');
    assertRejected(() => ClusterIdZNode.decode(b('{"version":"1"}')), '/cluster/id');
    assertRejected(() => ClusterIdZNode.decode(b('not json')), '/cluster/id');
  });
});

describe('/controller and /controller_epoch', () => {
  test('v2 encoding as Kafka 3.9', () => {
    const data = ControllerZNode.encode(1, { timestamp: 1730000000123 });
    assert.equal(data.toString(), '{"version":2,"brokerid":1,"timestamp":"1730000000123","kraftControllerEpoch":-1}');
    assertValid('controller', data);
  });
  test('decodes v2 and v1', () => {
    assert.deepEqual(ControllerZNode.decode(b('{"version":2,"brokerid":1,"timestamp":"1730000000123","kraftControllerEpoch":-1}')), {
      brokerId: 1,
      kraftControllerEpoch: -1,
      timestamp: 1730000000123,
      version: 2,
    });
    const v1 = ControllerZNode.decode(b('{"version":1,"brokerid":3,"timestamp":"1500000000000"}'));
    assert.equal(v1.brokerId, 3);
    assert.equal(v1.kraftControllerEpoch, null);
    // key order and unknown fields do not matter
    assert.equal(ControllerZNode.decode(b('{"timestamp":"1","extra":true,"brokerid":7,"version":1}')).brokerId, 7);
  });
  test('rejects a registration without brokerid', () => {
    assertRejected(() => ControllerZNode.decode(b('{"version":2}')), '/controller');
  });
  test('controller epoch is plain decimal text', () => {
    assert.equal(ControllerEpochZNode.encode(7).toString(), '7');
    assert.equal(ControllerEpochZNode.decode(b('7')), 7);
    assert.equal(ControllerEpochZNode.decode(b('0')), 0);
    assertRejected(() => ControllerEpochZNode.decode(b('{"epoch":7}')), '/controller_epoch');
    assertRejected(() => ControllerEpochZNode.decode(b('')), '/controller_epoch');
  });
});

describe('/brokers/ids/<id>', () => {
  const internal: EndPoint = { listenerName: 'INTERNAL', host: 'kafka-1.internal', port: 9092, securityProtocol: SecurityProtocol.PLAINTEXT };
  const external: EndPoint = { listenerName: 'EXTERNAL', host: 'kafka-1.example.com', port: 9093, securityProtocol: SecurityProtocol.SASL_SSL };
  const reference =
    '{"features":{},"listener_security_protocol_map":{"INTERNAL":"PLAINTEXT","EXTERNAL":"SASL_SSL"},' +
    '"endpoints":["INTERNAL://kafka-1.internal:9092","EXTERNAL://kafka-1.example.com:9093"],' +
    '"rack":"us-east-1a","jmx_port":-1,"port":9092,"host":"kafka-1.internal","version":5,' +
    '"timestamp":"1730000000001"}';

  test('v5 encoding equals the reference registration', () => {
    const data = BrokerIdZNode.encode({ id: 1, endpoints: [internal, external], rack: 'us-east-1a' }, { timestamp: 1730000000001 });
    assert.equal(data.toString(), reference);
    assertValid('broker', data);
  });

  test('rack only when set; host null and port -1 without a PLAINTEXT listener', () => {
    const data = BrokerIdZNode.encode({ id: 2, endpoints: [external] }, { timestamp: 5 });
    assert.equal(
      data.toString(),
      '{"features":{},"listener_security_protocol_map":{"EXTERNAL":"SASL_SSL"},' +
        '"endpoints":["EXTERNAL://kafka-1.example.com:9093"],"jmx_port":-1,"port":-1,"host":null,"version":5,"timestamp":"5"}',
    );
    assertValid('broker', data);
  });

  test('IPv6 hosts are bracketed and round-trip', () => {
    const v6: EndPoint = { listenerName: 'PLAINTEXT', host: '::1', port: 9092, securityProtocol: SecurityProtocol.PLAINTEXT };
    const data = BrokerIdZNode.encode({ id: 3, endpoints: [v6] }, { timestamp: 1 });
    assert.match(data.toString(), /"endpoints":\["PLAINTEXT:\/\/\[::1\]:9092"\]/);
    assert.deepEqual(BrokerIdZNode.decode(data, 3).endpoints, [v6]);
  });

  test('v4 and v2 encodings (older IBPs)', () => {
    const v4 = BrokerIdZNode.encode({ id: 1, endpoints: [internal], rack: 'r1' }, { version: 4, timestamp: 9 });
    assert.equal(
      v4.toString(),
      '{"listener_security_protocol_map":{"INTERNAL":"PLAINTEXT"},"endpoints":["INTERNAL://kafka-1.internal:9092"],' +
        '"rack":"r1","jmx_port":-1,"port":9092,"host":"kafka-1.internal","version":4,"timestamp":"9"}',
    );
    const plaintext: EndPoint = { ...internal, listenerName: 'PLAINTEXT' };
    const v2 = BrokerIdZNode.encode({ id: 1, endpoints: [plaintext], rack: 'r1' }, { version: 2, timestamp: 9 });
    assert.equal(v2.toString(), '{"endpoints":["PLAINTEXT://kafka-1.internal:9092"],"jmx_port":-1,"port":9092,"host":"kafka-1.internal","version":2,"timestamp":"9"}');
    assertValid('broker', v4);
    assertValid('broker', v2);
  });

  test('decodes the reference v5 registration', () => {
    const broker = BrokerIdZNode.decode(b(reference), 1);
    assert.equal(broker.id, 1);
    assert.equal(broker.version, 5);
    assert.equal(broker.rack, 'us-east-1a');
    assert.equal(broker.jmxPort, -1);
    assert.equal(broker.timestamp, 1730000000001);
    assert.deepEqual(broker.endpoints, [internal, external]);
    assert.equal(broker.features.size, 0);
  });

  test('decodes v1-v5 as Kafka documents them', () => {
    const v1 = BrokerIdZNode.decode(b('{"version":1,"host":"localhost","port":9092,"jmx_port":9999,"timestamp":"2233345666"}'), 0);
    assert.deepEqual(v1.endpoints, [{ listenerName: 'PLAINTEXT', host: 'localhost', port: 9092, securityProtocol: 'PLAINTEXT' }]);
    assert.equal(v1.jmxPort, 9999);
    assert.equal(v1.rack, null);

    const v2 = BrokerIdZNode.decode(
      b('{"version":2,"host":"localhost","port":9092,"jmx_port":9999,"timestamp":"2233345666","endpoints":["PLAINTEXT://host1:9092", "SSL://host1:9093"]}'),
      0,
    );
    assert.deepEqual(
      v2.endpoints.map((e) => [e.listenerName, e.host, e.port, e.securityProtocol]),
      [
        ['PLAINTEXT', 'host1', 9092, 'PLAINTEXT'],
        ['SSL', 'host1', 9093, 'SSL'],
      ],
    );

    const v3 = BrokerIdZNode.decode(
      b('{"version":3,"host":"localhost","port":9092,"jmx_port":9999,"timestamp":"2233345666","endpoints":["PLAINTEXT://host1:9092"],"rack":"dc1"}'),
      0,
    );
    assert.equal(v3.rack, 'dc1');

    const v4 = BrokerIdZNode.decode(
      b(
        '{"version":4,"host":"localhost","port":9092,"jmx_port":9999,"timestamp":"2233345666",' +
          '"endpoints":["CLIENT://host1:9092", "REPLICATION://host1:9093"],"rack":"dc1",' +
          '"listener_security_protocol_map":{"CLIENT":"SSL","REPLICATION":"PLAINTEXT"}}',
      ),
      0,
    );
    assert.deepEqual(
      v4.endpoints.map((e) => [e.listenerName, e.securityProtocol]),
      [
        ['CLIENT', 'SSL'],
        ['REPLICATION', 'PLAINTEXT'],
      ],
    );

    const v5 = BrokerIdZNode.decode(
      b(
        '{"version":5,"host":"localhost","port":9092,"jmx_port":9999,"timestamp":"2233345666",' +
          '"endpoints":["CLIENT://host1:9092"],"listener_security_protocol_map":{"CLIENT":"PLAINTEXT"},' +
          '"features": {"feature": {"min_version":1, "first_active_version":2, "max_version":3}}}',
      ),
      0,
    );
    assert.deepEqual(v5.features.get('feature'), { minVersion: 1, maxVersion: 3 });
  });

  test('rejects invalid registrations naming the path', () => {
    assertRejected(() => BrokerIdZNode.decode(b('{"version":5,"endpoints":[]}'), 4), '/brokers/ids/4'); // no jmx_port
    assertRejected(() => BrokerIdZNode.decode(b('{"version":4,"jmx_port":-1}'), 4), '/brokers/ids/4'); // no endpoints
    assertRejected(
      () => BrokerIdZNode.decode(b('{"version":4,"jmx_port":-1,"endpoints":["CUSTOM://h:1"]}'), 4), // no protocol for CUSTOM
      '/brokers/ids/4',
    );
    assertRejected(() => BrokerIdZNode.decode(b('{"version":4,"jmx_port":-1,'), 4), '/brokers/ids/4');
  });
});

describe('/brokers/topics/<topic>', () => {
  test('v3 encoding equals the reference (Scala map key order)', () => {
    const data = TopicZNode.encode(
      'kHq3yxsYQ3uYxT5nbL1Z7w',
      new Map([
        [0, [1, 2, 3]],
        [1, [2, 3, 1]],
        [2, [3, 1, 2]],
      ]),
    );
    assert.equal(
      data.toString(),
      '{"removing_replicas":{},"partitions":{"2":[3,1,2],"1":[2,3,1],"0":[1,2,3]},"topic_id":"kHq3yxsYQ3uYxT5nbL1Z7w","adding_replicas":{},"version":3}',
    );
    assertValid('topic', data);
  });

  test('mid-reassignment encoding lists adding and removing replicas', () => {
    const data = TopicZNode.encode(
      'kHq3yxsYQ3uYxT5nbL1Z7w',
      new Map([[0, { replicas: [1, 2, 4, 3], addingReplicas: [4], removingReplicas: [3] }]]),
    );
    assert.equal(
      data.toString(),
      '{"removing_replicas":{"0":[3]},"partitions":{"0":[1,2,4,3]},"topic_id":"kHq3yxsYQ3uYxT5nbL1Z7w","adding_replicas":{"0":[4]},"version":3}',
    );
    const decoded = TopicZNode.decode(data, 'orders');
    assert.deepEqual(decoded.assignment.get(0), { replicas: [1, 2, 4, 3], addingReplicas: [4], removingReplicas: [3] });
  });

  test('decodes v1, v2 and v3; missing keys mean empty or none', () => {
    const v1 = TopicZNode.decode(b('{"version":1,"partitions":{"0":[1,2],"1":[2,1]}}'), 't');
    assert.equal(v1.topicId, null);
    assert.deepEqual([...v1.assignment.keys()], [0, 1]);
    assert.deepEqual(v1.assignment.get(1), { replicas: [2, 1], addingReplicas: [], removingReplicas: [] });
    const v2 = TopicZNode.decode(b('{"version":2,"partitions":{"0":[1]},"adding_replicas":{},"removing_replicas":{}}'), 't');
    assert.equal(v2.topicId, null);
    const v3 = TopicZNode.decode(
      b('{"removing_replicas":{},"partitions":{"2":[3,1,2],"1":[2,3,1],"0":[1,2,3]},"topic_id":"kHq3yxsYQ3uYxT5nbL1Z7w","adding_replicas":{},"version":3}'),
      'orders',
    );
    assert.equal(v3.topicId, 'kHq3yxsYQ3uYxT5nbL1Z7w');
    assert.deepEqual([...v3.assignment.keys()], [0, 1, 2]);
  });

  test('large partition counts encode every partition once', () => {
    const assignment = new Map(Array.from({ length: 50 }, (_, p) => [p, [p % 3, (p + 1) % 3]] as [number, number[]]));
    const decoded = TopicZNode.decode(TopicZNode.encode(null, assignment), 'big');
    assert.equal(decoded.assignment.size, 50);
    assert.deepEqual(decoded.assignment.get(49)?.replicas, [1, 2]);
    assert.equal(decoded.topicId, null);
  });

  test('rejects invalid assignments naming the path', () => {
    assertRejected(() => TopicZNode.decode(b('{"version":3,"partitions":{"x":[1]}}'), 'orders'), '/brokers/topics/orders');
    assertRejected(() => TopicZNode.decode(b('{"version":3,"partitions":{"0":["1"]}}'), 'orders'), '/brokers/topics/orders');
    assertRejected(() => TopicZNode.decode(b('{"version":3,"topic_id":"short"}'), 'orders'), '/brokers/topics/orders');
  });
});

describe('/brokers/topics/<topic>/partitions/<p>/state', () => {
  const tp = { topic: 'orders', partition: 0 };
  test('encoding equals the reference; leader_recovery_state only when RECOVERING', () => {
    const state = {
      leaderAndIsr: { leader: 1, leaderEpoch: 12, isr: [1, 2, 3], leaderRecoveryState: LeaderRecoveryState.RECOVERED, partitionEpoch: 4 },
      controllerEpoch: 7,
    };
    const data = TopicPartitionStateZNode.encode(state);
    assert.equal(data.toString(), '{"controller_epoch":7,"leader":1,"version":1,"leader_epoch":12,"isr":[1,2,3]}');
    assertValid('partition-state', data);
    const recovering = TopicPartitionStateZNode.encode({
      leaderAndIsr: { ...state.leaderAndIsr, isr: [1], leaderRecoveryState: LeaderRecoveryState.RECOVERING },
      controllerEpoch: 7,
    });
    assert.equal(
      recovering.toString(),
      '{"controller_epoch":7,"leader":1,"version":1,"leader_recovery_state":1,"leader_epoch":12,"isr":[1]}',
    );
    assertValid('partition-state', recovering);
  });

  test('decodes with the zkVersion as partition epoch', () => {
    const decoded = TopicPartitionStateZNode.decode(b('{"controller_epoch":7,"leader":-1,"version":1,"leader_epoch":12,"isr":[3]}'), {
      partition: tp,
      zkVersion: 9,
    });
    assert.deepEqual(decoded, {
      leaderAndIsr: { leader: -1, leaderEpoch: 12, isr: [3], leaderRecoveryState: 0, partitionEpoch: 9 },
      controllerEpoch: 7,
    });
    const recovering = TopicPartitionStateZNode.decode(b('{"controller_epoch":1,"leader":2,"leader_epoch":3,"isr":[2],"leader_recovery_state":1}'));
    assert.equal(recovering.leaderAndIsr.leaderRecoveryState, LeaderRecoveryState.RECOVERING);
  });

  test('rejects a state without isr naming the path', () => {
    assertRejected(
      () => TopicPartitionStateZNode.decode(b('{"controller_epoch":7,"leader":1,"leader_epoch":1}'), { partition: tp }),
      '/brokers/topics/orders/partitions/0/state',
    );
  });
});

describe('admin and notification nodes', () => {
  test('/admin/reassign_partitions (legacy v1)', () => {
    const json = '{"version":1,"partitions":[{"topic":"orders","partition":0,"replicas":[1,2,4]}]}';
    assert.equal(ReassignPartitionsZNode.encode([{ topic: 'orders', partition: 0, replicas: [1, 2, 4] }]).toString(), json);
    assert.deepEqual(ReassignPartitionsZNode.decode(b(json)), [{ topic: 'orders', partition: 0, replicas: [1, 2, 4] }]);
    assertValid('reassign-partitions', b(json));
    assertRejected(() => ReassignPartitionsZNode.decode(b('{"version":1,"partitions":[{"topic":"orders"}]}')), '/admin/reassign_partitions');
  });

  test('/admin/preferred_replica_election', () => {
    const json = '{"version":1,"partitions":[{"topic":"orders","partition":0}]}';
    assert.equal(PreferredReplicaElectionZNode.encode([{ topic: 'orders', partition: 0 }]).toString(), json);
    assert.deepEqual(PreferredReplicaElectionZNode.decode(b(json)), [{ topic: 'orders', partition: 0 }]);
    assertValid('preferred-replica-election', b(json));
  });

  test('isr_change_<seq>', () => {
    const json = '{"version":1,"partitions":[{"topic":"orders","partition":0}]}';
    assert.equal(IsrChangeNotificationSequenceZNode.encode([{ topic: 'orders', partition: 0 }]).toString(), json);
    assert.deepEqual(IsrChangeNotificationSequenceZNode.decode(b(json)), [{ topic: 'orders', partition: 0 }]);
    assert.equal(IsrChangeNotificationSequenceZNode.path(), '/isr_change_notification/isr_change_');
    assert.equal(IsrChangeNotificationSequenceZNode.sequenceNumber('isr_change_0000000003'), '0000000003');
    assertRejected(
      () => IsrChangeNotificationSequenceZNode.decode(b('{"version":1}'), '/isr_change_notification/isr_change_0000000001'),
      '/isr_change_notification/isr_change_0000000001',
    );
  });

  test('log_dir_event_<seq>', () => {
    assert.equal(LogDirEventNotificationSequenceZNode.encode(2).toString(), '{"version":1,"broker":2,"event":1}');
    assert.equal(LogDirEventNotificationSequenceZNode.decode(b('{"version":1,"broker":2,"event":1}')), 2);
    assertValid('log-dir-event-notification', LogDirEventNotificationSequenceZNode.encode(2));
  });
});

describe('/config', () => {
  test('entity config equals the reference; topic creation writes "config":{}', () => {
    const json = '{"version":1,"config":{"retention.ms":"86400000","cleanup.policy":"compact"}}';
    assert.equal(ConfigEntityZNode.encode({ 'cleanup.policy': 'compact', 'retention.ms': '86400000' }).toString(), json);
    assert.equal(ConfigEntityZNode.encode(new Map([['retention.ms', '86400000'], ['cleanup.policy', 'compact']])).toString(), json);
    assert.equal(ConfigEntityZNode.encode({}).toString(), '{"version":1,"config":{}}');
    assertValid('config-entity', b(json));
    assert.deepEqual(ConfigEntityZNode.decode(b(json)), { 'retention.ms': '86400000', 'cleanup.policy': 'compact' });
    assert.deepEqual(ConfigEntityZNode.decode(Buffer.alloc(0)), {});
    assert.equal(ConfigEntityZNode.path('users', 'alice/clients/app-1'), '/config/users/alice/clients/app-1');
  });

  test('SCRAM credentials and quotas are plain string entries', () => {
    const scram = 'salt=c2FsdA==,stored_key=a2V5,server_key=c2tleQ==,iterations=4096';
    const decoded = ConfigEntityZNode.decode(b(`{"version":1,"config":{"SCRAM-SHA-256":"${scram}","producer_byte_rate":"1024"}}`));
    assert.equal(decoded['SCRAM-SHA-256'], scram);
    assert.equal(decoded.producer_byte_rate, '1024');
  });

  test('config values must be strings', () => {
    assertRejected(() => ConfigEntityZNode.decode(b('{"version":1,"config":{"retention.ms":86400000}}'), '/config/topics/orders'), '/config/topics/orders');
  });

  test('change notifications: v2 written, v1 accepted', () => {
    const v2 = ConfigEntityChangeNotificationSequenceZNode.encode('topics/orders');
    assert.equal(v2.toString(), '{"version":2,"entity_path":"topics/orders"}');
    assertValid('config-change', v2);
    assert.deepEqual(ConfigEntityChangeNotificationSequenceZNode.decode(v2), {
      version: 2,
      entityPath: 'topics/orders',
      entityType: 'topics',
      entityName: 'orders',
    });
    assert.deepEqual(
      ConfigEntityChangeNotificationSequenceZNode.decode(b('{"version":2,"entity_path":"users/alice/clients/app-1"}')).entityName,
      'alice/clients/app-1',
    );
    assert.deepEqual(ConfigEntityChangeNotificationSequenceZNode.decode(b('{"version":1,"entity_type":"topics","entity_name":"orders"}')), {
      version: 1,
      entityPath: 'topics/orders',
      entityType: 'topics',
      entityName: 'orders',
    });
    assertRejected(
      () => ConfigEntityChangeNotificationSequenceZNode.decode(b('{"version":1,"entity_path":"topics/orders"}'), '/config/changes/config_change_0000000001'),
      '/config/changes/config_change_0000000001',
    );
    assert.equal(ConfigEntityChangeNotificationSequenceZNode.createPath(), '/config/changes/config_change_');
    assert.equal(ConfigEntityChangeNotificationSequenceZNode.sequenceNumber('config_change_0000000042'), '0000000042');
  });
});

describe('/feature, /latest_producer_id_block, /consumers', () => {
  test('feature v2 as a 3.9 controller creates it; v1 accepted', () => {
    const data = FeatureZNode.encode({ version: 2, status: 1, features: new Map() });
    assert.equal(data.toString(), '{"features":{},"version":2,"status":1}');
    assertValid('feature', data);
    assert.equal(
      FeatureZNode.encode({ version: 2, status: 1, features: new Map([['metadata.version', 7]]) }).toString(),
      '{"features":{"metadata.version":{"max_version_level":7}},"version":2,"status":1}',
    );
    const v1 = FeatureZNode.decode(b('{"features":{"group_coordinator":{"min_version_level":1,"max_version_level":2}},"version":1,"status":1}'));
    assert.deepEqual([...v1.features], [['group_coordinator', 2]]);
    assertRejected(() => FeatureZNode.decode(b('{"features":{"x":{"max_version_level":2}},"version":1,"status":1}')), '/feature');
    assertRejected(() => FeatureZNode.decode(b('{"features":{},"version":2}')), '/feature');
  });

  test('producer id block: start and end are strings', () => {
    const json = '{"version":1,"broker":2,"block_start":"3000","block_end":"3999"}';
    assert.equal(ProducerIdBlockZNode.encode({ assignedBrokerId: 2, firstProducerId: 3000, size: 1000 }).toString(), json);
    assert.deepEqual(ProducerIdBlockZNode.decode(b(json)), { assignedBrokerId: 2, firstProducerId: 3000, size: 1000 });
    assertRejected(() => ProducerIdBlockZNode.decode(b('{"version":1,"broker":2,"block_start":3000,"block_end":"3999"}')), '/latest_producer_id_block');
  });

  test('consumer offsets are decimal text', () => {
    assert.equal(ConsumerOffset.path('g', { topic: 'orders', partition: 3 }), '/consumers/g/offsets/orders/3');
    assert.equal(ConsumerOffset.encode(42).toString(), '42');
    assert.equal(ConsumerOffset.decode(b('42')), 42);
  });
});

test('every payload schema compiles; bootstrap paths follow the reference order', () => {
  for (const name of Object.keys(ZNODE_SCHEMAS) as ZNodeSchemaName[]) assert.equal(typeof znodeValidator(name), 'function');
  assert.deepEqual(PersistentZkPaths.slice(0, 4), ['/consumers', '/brokers/ids', '/brokers/topics', '/brokers/seqid']);
  assert.equal(PersistentZkPaths.length, 14);
});
