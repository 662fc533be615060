/**
 * `consumer-groups --reset-offsets`, as `kafka-consumer-groups.sh` does it: only for a group
 * with no active members (Empty, or unknown: Dead); the partitions of `--topic t01` or
 * `--topic t01:0,2`, or every partition the group committed (`--all-topics`); every topic and
 * partition checked to exist (and, for `--shift-by`, to have a committed offset) before
 * anything moves; then Kafka's table of
 * `GROUP TOPIC PARTITION NEW-OFFSET`. `--dry-run` (the default) commits nothing.
 */
import type { Admin } from '../../admin/admin.js'
import { isLogkeeperError } from '../../common/errors.js'
import { UsageError, UserError } from '../errors.js'
import type { CliIo } from '../io.js'
import { kafkaMessage } from './failure.js'
import type { GroupsRequest } from './groups-request.js'
import { nameColumn, tableLines } from './table.js'

/** The partitions to reset of one topic (undefined: all of them). */
interface TopicScope {
  readonly topic: string
  readonly partitions: readonly number[] | undefined
}

/** Kafka's prefix of a failed request. */
const FAILED = 'Executing consumer group command failed due to '

/** One `--topic` value: `t01` or `t01:0,1,2`. */
export function parseTopicArg(arg: string, help: string): TopicScope {
  if (!arg.includes(':')) return { topic: arg, partitions: undefined }
  const parts = arg.split(':')
  if (parts.length !== 2 || parts[0] === '') {
    throw new UsageError(`Invalid topic arg '${arg}', expected topic name and partitions`, help)
  }
  const partitions = (parts[1] as string).split(',').map((p) => {
    if (!/^\d+$/.test(p.trim())) {
      throw new UsageError(`Invalid partition '${p}' specified in topic arg '${arg}'`, help)
    }
    return Number(p)
  })
  return { topic: parts[0] as string, partitions }
}

/** Merge `--topic` values naming the same topic (a topic named whole wins). */
function mergeScopes(scopes: readonly TopicScope[]): TopicScope[] {
  const byTopic = new Map<string, number[] | undefined>()
  for (const s of scopes) {
    const had = byTopic.get(s.topic)
    const whole = s.partitions === undefined || (byTopic.has(s.topic) && had === undefined)
    byTopic.set(s.topic, whole ? undefined : [...(had ?? []), ...(s.partitions ?? [])])
  }
  return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }))
}

/** The partitions the group has committed offsets for, by topic (`--all-topics`). */
async function committedScopes(admin: Admin, groupId: string): Promise<TopicScope[]> {
  const offsets = await admin.fetchOffsets({ groupId })
  return offsets
    .map((t) => ({
      topic: t.topic,
      partitions: t.partitions.filter((p) => Number(p.offset) >= 0).map((p) => p.partition),
    }))
    .filter((s) => s.partitions.length > 0)
}

/**
 * Check that every topic and partition exists before anything is moved; each scope's
 * partitions as `topic-partition` names.
 */
async function checkScopes(admin: Admin, scopes: readonly TopicScope[]): Promise<string[]> {
  if (scopes.length === 0) return []
  const described = await admin.describeTopics({ topics: scopes.map((s) => s.topic) })
  const counts = new Map(described.map((t) => [t.name, t.partitions.length]))
  const names = (s: TopicScope) =>
    (s.partitions ?? [...Array(counts.get(s.topic) ?? 0).keys()]).map((p) => ({
      name: `${s.topic}-${p}`,
      exists: p < (counts.get(s.topic) ?? 0),
    }))
  const all = scopes.flatMap(names)
  const missing = all.filter((p) => !p.exists).map((p) => p.name)
  if (missing.length > 0) {
    throw new UserError(`${FAILED}The partitions "${missing.join(',')}" do not exist`)
  }
  return all.map((p) => p.name)
}

/** `--shift-by` moves committed offsets: every partition must have one, as Kafka requires. */
async function checkCommitted(
  admin: Admin,
  groupId: string,
  scopes: readonly TopicScope[],
  partitions: readonly string[],
): Promise<void> {
  const offsets = await admin.fetchOffsets({ groupId, topics: scopes.map((s) => s.topic) })
  const committed = new Set(
    offsets.flatMap((t) =>
      t.partitions.filter((p) => Number(p.offset) >= 0).map((p) => `${t.topic}-${p.partition}`),
    ),
  )
  const none = partitions.find((p) => !committed.has(p))
  if (none !== undefined) {
    throw new UserError(
      `Cannot shift offset for partition ${none} since there is no current committed offset`,
    )
  }
}

/** Refuse a group with active members, with Kafka's words. */
async function checkInactive(admin: Admin, groupId: string): Promise<void> {
  const [group] = await admin.describeGroups([groupId])
  const state = group?.state ?? 'Dead'
  if (state !== 'Empty' && state !== 'Dead') {
    throw new UserError(
      `Assignments can only be reset if the group '${groupId}' is inactive, but the current state is ${state}.`,
    )
  }
}

type Row = { topic: string; partition: number; offset: string }

/** Reset one group's offsets of `scopes`; the new offsets. */
async function resetGroup(
  admin: Admin,
  request: GroupsRequest,
  groupId: string,
  help: string,
): Promise<Row[]> {
  await checkInactive(admin, groupId)
  const scopes = request.allTopics
    ? await committedScopes(admin, groupId)
    : mergeScopes(request.topics.map((t) => parseTopicArg(t, help)))
  const partitions = await checkScopes(admin, scopes)
  if (request.target !== undefined && 'shiftBy' in request.target) {
    await checkCommitted(admin, groupId, scopes, partitions)
  }
  const rows: Row[] = []
  for (const { topic, partitions } of scopes) {
    const moved = await admin.resetOffsets({
      groupId,
      topic,
      ...request.target,
      ...(partitions === undefined ? {} : { partitions }),
      validateOnly: !request.execute,
    })
    rows.push(...moved)
  }
  return rows.sort((a, b) =>
    a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1,
  )
}

function failure(error: unknown, groupId: string): never {
  if (isLogkeeperError(error, 'NON_EMPTY_GROUP')) {
    throw new UserError(
      `Assignments can only be reset if the group '${groupId}' is inactive, but it has active members.`,
    )
  }
  if (isLogkeeperError(error)) throw new UserError(FAILED + kafkaMessage(error))
  throw error
}

/** `--reset-offsets` of `groupIds`: move (or with a dry run, show) their offsets. */
export async function resetOffsets(
  admin: Admin,
  request: GroupsRequest,
  groupIds: readonly string[],
  io: CliIo,
  help: string,
): Promise<void> {
  if (!request.execute && !request.dryRun) {
    io.stderr.line(
      'WARN: No action will be performed as the --execute option is missing. ' +
        'Add --dry-run to say so, or --execute to reset the offsets.',
    )
  }
  const rows: string[][] = []
  for (const groupId of [...new Set(groupIds)].sort()) {
    const moved = await resetGroup(admin, request, groupId, help).catch((e) => failure(e, groupId))
    for (const r of moved) rows.push([groupId, r.topic, String(r.partition), r.offset])
  }
  io.stdout.line()
  if (groupIds.length === 0) return
  const columns = [
    nameColumn('GROUP'),
    nameColumn('TOPIC'),
    { header: 'PARTITION', width: 10, fixed: true },
    { header: 'NEW-OFFSET', width: 0 },
  ]
  for (const line of tableLines(columns, rows)) io.stdout.line(line)
}
