/**
 * `logkeeper consumer-groups`: Kafka's `kafka-consumer-groups.sh` on the cluster of a data
 * directory: list, describe (offsets and lag per partition), reset offsets and delete consumer
 * groups, with its option names, output layouts and messages. A {@link ClusterCommand}:
 * `shell` runs it on the cluster it holds.
 */

import type { Admin } from '../../admin/admin.js'
import type { Cluster } from '../../cluster.js'
import { type CommandContext, DATA_DIR_OPTION } from '../command.js'
import { EXIT } from '../errors.js'
import { deleteGroups, listGroups } from '../kafka/group-actions.js'
import { describeGroups } from '../kafka/group-describe.js'
import { resetOffsets } from '../kafka/group-reset.js'
import { type GroupsRequest, readGroupsRequest } from '../kafka/groups-request.js'
import { type ClusterCommand, runOnDataDir } from '../open-cluster.js'

const DETAILS = `Exactly one action: --list, --describe, --delete or --reset-offsets; all but
--list take --group (repeatable) or --all-groups.

--describe prints, per partition the group holds or has committed, the committed offset
(CURRENT-OFFSET), the high watermark (LOG-END-OFFSET), the LAG between them and the member
holding it ("-" for none); --state prints the group's coordinator, assignor, state and
member count instead.

--reset-offsets needs a group with no active members, one of --to-earliest, --to-latest,
--to-offset <n>, --to-datetime <yyyy-MM-ddTHH:mm:ss.SSS[zone]> (UTC without a zone) or
--shift-by <n> (from each partition's committed offset; offsets are kept within the log),
and a scope: --topic <t>[:<p>,<p>...] (repeatable) or --all-topics (every partition the
group committed). It is a dry run unless --execute is given. Every action needs an existing
data directory.

Exit status: 0 done, 1 the request failed (unknown group, active members, unknown topic or
partition), 2 a malformed command line.

Examples:
  logkeeper consumer-groups --list
  logkeeper consumer-groups --describe --group g01
  logkeeper consumer-groups --reset-offsets --group g01 --topic t01 --to-earliest --execute
  logkeeper consumer-groups --reset-offsets --group g01 --topic t01:0,1 --shift-by -10 --dry-run
  logkeeper consumer-groups --reset-offsets --group g01 --all-topics \\
    --to-datetime 2026-01-31T12:00:00.000Z --execute
  logkeeper consumer-groups --delete --group g01`

const flag = (description: string) => ({ type: 'boolean' as const, description })

const value = (valueName: string, description: string) => ({
  type: 'string' as const,
  valueName,
  description,
})

async function groupIds(admin: Admin, request: GroupsRequest): Promise<string[]> {
  if (!request.allGroups) return [...request.groups]
  return (await admin.listGroups()).map((g) => g.groupId)
}

async function act(admin: Admin, request: GroupsRequest, ctx: CommandContext): Promise<number> {
  const { io, help } = ctx
  const ok = (done: boolean) => (done ? EXIT.OK : EXIT.USER_ERROR)
  switch (request.action) {
    case 'list':
      await listGroups(admin, io, request.state)
      return EXIT.OK
    case 'describe':
      return ok(await describeGroups(admin, await groupIds(admin, request), io, request.state))
    case 'delete':
      return ok(await deleteGroups(admin, await groupIds(admin, request), io))
    case 'reset-offsets':
      await resetOffsets(admin, request, await groupIds(admin, request), io, help)
      return EXIT.OK
  }
}

/** The `consumer-groups` command. */
export const consumerGroupsCommand: ClusterCommand = {
  name: 'consumer-groups',
  summary: 'list, describe and reset consumer groups (kafka-consumer-groups)',
  usage: [
    'consumer-groups --list [--state]',
    'consumer-groups --describe (--group <group> | --all-groups) [--state]',
    'consumer-groups --reset-offsets (--group <group> | --all-groups) <scenario> (--topic <t>[:<p>,...] | --all-topics) [--dry-run | --execute]',
    'consumer-groups --delete (--group <group> | --all-groups)',
  ],
  details: DETAILS,
  options: {
    list: flag('list all consumer groups'),
    describe: flag("describe a group: each partition's offset, end and lag"),
    delete: flag('delete groups (with no active members) and their offsets'),
    'reset-offsets': flag("reset a group's offsets (it must have no active members)"),
    group: { ...value('group', 'the consumer group to act on'), multiple: true },
    'all-groups': flag('act on every consumer group'),
    topic: {
      ...value('topic[:p,...]', 'with --reset-offsets, a topic (and some of its partitions)'),
      multiple: true,
    },
    'all-topics': flag('with --reset-offsets, every partition the group committed'),
    'to-earliest': flag('reset to the earliest offset'),
    'to-latest': flag('reset to the latest offset'),
    'to-offset': value('offset', 'reset to this offset'),
    'to-datetime': value(
      'datetime',
      'reset to the first offset at or after yyyy-MM-ddTHH:mm:ss.SSS',
    ),
    'shift-by': value('n', 'reset by n records from the committed offset (n may be negative)'),
    'dry-run': flag('only show the new offsets (the default)'),
    execute: flag('commit the new offsets'),
    state: flag("with --list or --describe, show the groups' states"),
    'data-dir': DATA_DIR_OPTION,
  },
  run(ctx) {
    readGroupsRequest(ctx.values, ctx.help)
    return runOnDataDir(consumerGroupsCommand, ctx, { mustExist: true })
  },
  async runOn(cluster: Cluster, ctx: CommandContext) {
    const request = readGroupsRequest(ctx.values, ctx.help)
    const admin = cluster.admin()
    try {
      return await act(admin, request, ctx)
    } finally {
      await admin.disconnect()
    }
  },
}
