// The key and value formats of `__consumer_offsets` records, as Kafka 3.9 defines them
// (group-coordinator/src/main/resources/common/message/{OffsetCommit,GroupMetadata}{Key,Value}.json).
//
// Every key and value is prefixed with an int16 version. The key version also tells the record type:
// 0 and 1 are offset commits (group, topic, partition), 2 is group metadata (group). Values evolve on
// their own: OffsetCommitValue v1 carries an explicit expire timestamp (commits with a retention time),
// v3 a leader epoch; GroupMetadataValue v1 adds rebalance timeouts, v2 the state timestamp, v3 group
// instance ids (KIP-345); v4 of both is the first flexible (tagged-field) version (KIP-915). A null
// value is a tombstone.

import { defineMessage, field } from '../../../protocol';

/** Key of an offset commit record (key versions 0 and 1 have the same fields). */
export const OffsetCommitKeySchema = defineMessage({
  name: 'OffsetCommitKey',
  type: 'data',
  validVersions: '0-1',
  flexibleVersions: 'none',
  fields: [
    field('group', 'string', { versions: '0-1' }),
    field('topic', 'string', { versions: '0-1' }),
    field('partition', 'int32', { versions: '0-1' }),
  ],
});

/** Value of an offset commit record. */
export const OffsetCommitValueSchema = defineMessage({
  name: 'OffsetCommitValue',
  type: 'data',
  validVersions: '0-4',
  flexibleVersions: '4+',
  fields: [
    field('offset', 'int64', { versions: '0+' }),
    field('leaderEpoch', 'int32', { versions: '3+', default: -1, ignorable: true }),
    field('metadata', 'string', { versions: '0+' }),
    field('commitTimestamp', 'int64', { versions: '0+' }),
    field('expireTimestamp', 'int64', { versions: '1', default: -1, ignorable: true }),
  ],
});

/** Key of a group metadata record: key version 2. */
export const GroupMetadataKeySchema = defineMessage({
  name: 'GroupMetadataKey',
  type: 'data',
  validVersions: '2',
  flexibleVersions: 'none',
  fields: [field('group', 'string', { versions: '2' })],
});

/** Value of a group metadata record: the group's generation, protocol, leader and members. */
export const GroupMetadataValueSchema = defineMessage({
  name: 'GroupMetadataValue',
  type: 'data',
  validVersions: '0-4',
  flexibleVersions: '4+',
  fields: [
    field('protocolType', 'string', { versions: '0+' }),
    field('generation', 'int32', { versions: '0+' }),
    field('protocol', 'string', { versions: '0+', nullableVersions: '0+' }),
    field('leader', 'string', { versions: '0+', nullableVersions: '0+' }),
    field('currentStateTimestamp', 'int64', { versions: '2+', default: -1, ignorable: true }),
    field('members', '[]MemberMetadata', {
      versions: '0+',
      fields: [
        field('memberId', 'string', { versions: '0+' }),
        field('groupInstanceId', 'string', { versions: '3+', nullableVersions: '3+', default: null, ignorable: true }),
        field('clientId', 'string', { versions: '0+' }),
        field('clientHost', 'string', { versions: '0+' }),
        field('rebalanceTimeout', 'int32', { versions: '1+', ignorable: true }),
        field('sessionTimeout', 'int32', { versions: '0+' }),
        field('subscription', 'bytes', { versions: '0+' }),
        field('assignment', 'bytes', { versions: '0+' }),
      ],
    }),
  ],
});

/** Key versions that denote offset commits and group metadata. */
export const OFFSET_COMMIT_KEY_VERSIONS = { min: 0, max: 1 } as const;
export const GROUP_METADATA_KEY_VERSION = 2;

/**
 * The versions this broker writes, as Kafka 3.9 at inter.broker.protocol.version >= 2.3: offset keys
 * v1 (OffsetCommitKey's highest), offset values v3 (v1 when the commit carries an expire timestamp),
 * group values v3 — the highest non-flexible versions, readable by every Kafka since 2.3.
 */
export const WRITTEN_VERSIONS = {
  offsetCommitKey: 1,
  offsetCommitValue: 3,
  offsetCommitValueWithExpireTimestamp: 1,
  groupMetadataKey: 2,
  groupMetadataValue: 3,
} as const;
