/**
 * kafka-consumer-groups.sh: Kafka 3.9's ConsumerGroupCommand — list, describe (offsets and lag, members,
 * state), delete, reset offsets and delete offsets of consumer groups — over `--bootstrap-server` with
 * the project's client: FindCoordinator, ListGroups (every broker), DescribeGroups, OffsetFetch,
 * ListOffsets, OffsetCommit (generation -1, as Kafka's admin client commits), DeleteGroups and
 * OffsetDelete.
 *
 * Options, checks, messages and table layouts follow Kafka's tool: usage problems print the message and
 * the option table on stderr (exit 1); a failed command prints "Error: Executing consumer group command
 * failed due to ..." on stdout (Kafka exits 0 then, and so does this tool). `--describe --members
 * --verbose` prints each member's assignment as `topic(0,1)`, as Kafka's tool did before its 3.7
 * rewrite lost the topic names.
 *
 * This file holds the options and their checks; the actions are in consumer-group-command.ts, the admin
 * calls in consumer-group-admin.ts.
 */
import { OperationTimeoutError } from '../client/client-errors';
import { OptionParser, type ParsedOptions } from './command-line';
import { toolKafkaClient } from './client-config';
import { GroupAdmin } from './consumer-group-admin';
import { ConsumerGroupCommand, NL, RESET_SCENARIOS, opt } from './consumer-group-command';
import {
  UsageError,
  addDefaultOptions,
  checkInvalidArgs,
  checkRequiredArgs,
  printUsage,
  propertiesOption,
  runTool,
  startTool,
  type ToolIO,
} from './tool-support';

export { parseDateTime, parseDuration } from './consumer-group-command';

const ACTIONS = ['list', 'describe', 'delete', 'reset-offsets', 'delete-offsets'] as const;

function buildParser(): OptionParser {
  const p = new OptionParser();
  p.withRequiredArg('bootstrap-server', 'REQUIRED: The server(s) to connect to.', { describedAs: 'server to connect to' });
  p.withRequiredArg('group', 'The consumer group we wish to act on.', { describedAs: 'consumer group' });
  p.withRequiredArg(
    'topic',
    'The topic whose consumer group information should be deleted or topic whose should be included in the reset offset process. ' +
      'In `reset-offsets` case, partitions can be specified using this format: `topic1:0,1,2`, where 0,1,2 are the partition to be included in the process. ' +
      'Reset-offsets also supports multiple topic inputs.',
    { describedAs: 'topic' },
  );
  p.flag('all-topics', 'Consider all topics assigned to a group in the `reset-offsets` process.');
  p.flag('list', 'List all consumer groups.');
  p.flag('describe', 'Describe consumer group and list offset lag (number of messages not yet processed) related to given group.');
  p.flag('all-groups', 'Apply to all consumer groups.');
  p.flag('delete', 'Pass in groups to delete topic partition offsets and ownership information over the entire consumer group. For instance --group g1 --group g2');
  p.withRequiredArg(
    'timeout',
    'The timeout that can be set for some use cases. For example, it can be used when describing the group to specify the maximum amount of time in milliseconds to wait before the group stabilizes (when the group is just created, or is going through some changes).',
    { describedAs: 'timeout (ms)', type: 'Long', defaultValue: '5000' },
  );
  p.withRequiredArg('command-config', 'Property file containing configs to be passed to Admin Client and Consumer.', { describedAs: 'command config property file' });
  p.flag(
    'reset-offsets',
    `Reset offsets of consumer group. Supports one consumer group at the time, and instances should be inactive${NL}Has 2 execution options: --dry-run (the default) to plan which offsets to reset, and --execute to update the offsets. Additionally, the --export option is used to export the results to a CSV format.${NL}You must choose one of the following reset specifications: --to-datetime, --by-duration, --to-earliest, --to-latest, --shift-by, --from-file, --to-current, --to-offset.${NL}To define the scope use --all-topics or --topic. One scope must be specified unless you use '--from-file'.`,
  );
  p.flag('delete-offsets', 'Delete offsets of consumer group. Supports one consumer group at the time, and multiple topics.');
  p.flag('dry-run', 'Only show results without executing changes on Consumer Groups. Supported operations: reset-offsets.');
  p.flag('execute', 'Execute operation. Supported operations: reset-offsets.');
  p.flag('export', 'Export operation execution to a CSV file. Supported operations: reset-offsets.');
  p.withRequiredArg('to-offset', 'Reset offsets to a specific offset.', { describedAs: 'offset', type: 'Long' });
  p.withRequiredArg('from-file', 'Reset offsets to values defined in CSV file.', { describedAs: 'path to CSV file' });
  p.withRequiredArg('to-datetime', "Reset offsets to offset from datetime. Format: 'YYYY-MM-DDTHH:mm:SS.sss'", { describedAs: 'datetime' });
  p.withRequiredArg('by-duration', "Reset offsets to offset by duration from current timestamp. Format: 'PnDTnHnMnS'", { describedAs: 'duration' });
  p.flag('to-earliest', 'Reset offsets to earliest offset.');
  p.flag('to-latest', 'Reset offsets to latest offset.');
  p.flag('to-current', 'Reset offsets to current offset.');
  p.withRequiredArg('shift-by', "Reset offsets shifting current offset by 'n', where 'n' can be positive or negative.", { describedAs: 'number-of-offsets', type: 'Long' });
  p.flag('members', `Describe members of the group. This option may be used with '--describe' and '--bootstrap-server' options only.${NL}Example: --bootstrap-server localhost:9092 --describe --group group1 --members`);
  p.flag('verbose', `Provide additional information, if any, when describing the group. This option may be used with '--offsets'/'--members'/'--state' and '--bootstrap-server' options only.${NL}Example: --bootstrap-server localhost:9092 --describe --group group1 --members --verbose`);
  p.flag('offsets', `Describe the group and list all topic partitions in the group along with their offset lag. This is the default sub-action of and may be used with '--describe' and '--bootstrap-server' options only.${NL}Example: --bootstrap-server localhost:9092 --describe --group group1 --offsets`);
  p.withOptionalArg(
    'state',
    `When specified with '--describe', includes the state of the group.${NL}Example: --bootstrap-server localhost:9092 --describe --group group1 --state${NL}When specified with '--list', it displays the state of all groups. It can also be used to list groups with specific states.${NL}Example: --bootstrap-server localhost:9092 --list --state stable,empty${NL}This option may be used with '--describe', '--list' and '--bootstrap-server' options only.`,
  );
  p.withOptionalArg(
    'type',
    `When specified with '--list', it displays the types of all the groups. It can also be used to list groups with specific types.${NL}Example: --bootstrap-server localhost:9092 --list --type classic,consumer${NL}This option may be used with the '--list' option only.`,
  );
  addDefaultOptions(p);
  return p;
}


/** ConsumerGroupCommandOptions.checkArgs. */
function checkArgs(o: ParsedOptions, io: ToolIO): void {
  if (ACTIONS.filter((a) => o.has(a)).length !== 1) {
    throw new UsageError('Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets');
  }
  // jopt-simple's availableIf.
  for (const [name, allowedWith] of [['members', ['describe']], ['verbose', ['describe']], ['offsets', ['describe']], ['state', ['describe', 'list']], ['type', ['list']]] as const) {
    if (o.has(name) && !allowedWith.some((a) => o.has(a))) throw new UsageError(`Option(s) [${name}] are unavailable given other options on the command line`);
  }
  checkRequiredArgs(o, ['bootstrap-server']);
  const scope = ['group', 'all-groups'];
  if (o.has('describe')) {
    if (!o.has('group') && !o.has('all-groups')) throw new UsageError(`Option [describe] takes one of these options: ${opt(scope)}`);
    if (['members', 'offsets', 'state'].filter((x) => o.has(x)).length > 1) {
      throw new UsageError(`Option [describe] takes at most one of these options: ${opt(['members', 'offsets', 'state'])}`);
    }
    if (o.has('state') && o.valueOf('state') !== undefined) throw new UsageError('Option [describe] does not take a value for [state]');
  }
  if (o.has('delete')) {
    if (!o.has('group') && !o.has('all-groups')) throw new UsageError(`Option [delete] takes one of these options: ${opt(scope)}`);
    if (o.has('topic')) throw new UsageError('The consumer does not support topic-specific offset deletion from a consumer group.');
  }
  if (o.has('delete-offsets') && (!o.has('group') || !o.has('topic'))) {
    throw new UsageError(`Option [delete-offsets] takes the following options: ${opt(['group', 'topic'])}`);
  }
  if (o.has('reset-offsets')) {
    if (o.has('dry-run') && o.has('execute')) throw new UsageError('Option [reset-offsets] only accepts one of [execute] and [dry-run]');
    if (!o.has('dry-run') && !o.has('execute')) {
      io.err(
        'WARN: No action will be performed as the --execute option is missing.In a future major release, the default behavior of this command will be to prompt the user before executing the reset rather than doing a dry run. You should add the --dry-run option explicitly if you are scripting this command and want to keep the current default behavior without prompting.\n',
      );
    }
    if (!o.has('group') && !o.has('all-groups')) throw new UsageError(`Option [reset-offsets] takes one of these options: ${opt(scope)}`);
    for (const s of RESET_SCENARIOS) checkInvalidArgs(o, { used: s, invalid: RESET_SCENARIOS.filter((x) => x !== s) });
  }
  checkInvalidArgs(o, { used: 'group', invalid: ['all-groups'] });
  checkInvalidArgs(o, { used: 'group', invalid: ['list'] });
  checkInvalidArgs(o, { used: 'topic', invalid: ['list', 'describe'] });
}


/** Runs kafka-consumer-groups with `args`; resolves with the exit code. */
export async function kafkaConsumerGroupsMain(args: string[], io: ToolIO): Promise<number> {
  const parser = buildParser();
  const options = startTool(parser, args, {
    io,
    help: 'This tool helps to list all consumer groups, describe a consumer group, delete consumer group info, or reset consumer group offsets.',
    check: (o) => checkArgs(o, io),
  });
  if (typeof options === 'number') return options;
  const timeoutMs = options.numberOf('timeout') ?? 5000;
  const client = toolKafkaClient(io, {
    bootstrapServers: options.valueOf('bootstrap-server')!,
    props: propertiesOption(options, 'command-config'),
    clientId: 'adminclient-1',
    overrides: { requestTimeoutMs: timeoutMs },
  });
  const command = new ConsumerGroupCommand(options, new GroupAdmin(client, timeoutMs), io);
  try {
    if (options.has('list')) await command.list();
    else if (options.has('describe')) await command.describe();
    else if (options.has('delete')) await command.delete();
    else if (options.has('reset-offsets')) await command.resetOffsets();
    else await command.deleteOffsets();
  } catch (err) {
    if (err instanceof UsageError) {
      printUsage(io, { parser, message: err.message });
      return 1;
    }
    const message = err instanceof OperationTimeoutError ? `Timed out waiting for a node assignment. ${err.message}` : err instanceof Error ? err.message : String(err);
    io.out(`${NL}Error: Executing consumer group command failed due to ${message}${NL}`);
    if (err instanceof Error && err.stack) io.err(`${err.stack}${NL}`);
  } finally {
    await client.close();
  }
  return 0;
}

if (require.main === module) runTool((args, io) => kafkaConsumerGroupsMain(args, io));
