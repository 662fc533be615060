/**
 * `consumer-groups --describe`, in `kafka-consumer-groups.sh`'s layout: a blank line, then
 * `GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID`
 * aligned, one row per partition: the members' partitions first (the member with the most
 * partitions first), then the partitions with a committed offset that no member holds. Its
 * notes go to stderr: an empty group "has no active members", a rebalancing one "is
 * rebalancing"; an unknown group "does not exist" (exit status 1). `--state` prints the
 * group's coordinator, assignor, state and member count instead.
 */
import type { Admin } from '../../admin/admin.js'
import type { DescribedConsumerGroup, PartitionOffsetLag } from '../../consumer/admin-groups.js'
import { PROGRAM } from '../help.js'
import type { CliIo } from '../io.js'
import { fixedColumn, nameColumn, tableLines } from './table.js'

const MISSING = '-'

const OFFSET_COLUMNS = [
  nameColumn('GROUP'),
  nameColumn('TOPIC'),
  fixedColumn('PARTITION', 10),
  fixedColumn('CURRENT-OFFSET', 15),
  fixedColumn('LOG-END-OFFSET', 15),
  fixedColumn('LAG', 15),
  nameColumn('CONSUMER-ID'),
  nameColumn('HOST'),
  { header: 'CLIENT-ID', width: 0 },
]

/** A partition's offsets, with its topic. */
type TopicOffsets = PartitionOffsetLag & { readonly topic: string }

/** Offsets by {@link key}. */
type Offsets = Map<string, TopicOffsets>

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`

/** Committed offsets and end offsets of every partition the group committed or holds. */
async function offsetsOf(admin: Admin, group: DescribedConsumerGroup): Promise<Offsets> {
  const out: Offsets = new Map()
  const add = (rows: Awaited<ReturnType<Admin['fetchOffsets']>>) => {
    for (const t of rows) {
      for (const p of t.partitions) out.set(key(t.topic, p.partition), { ...p, topic: t.topic })
    }
  }
  const committed = await admin.fetchOffsets({ groupId: group.groupId })
  add(committed)
  const known = new Set(committed.map((t) => t.topic))
  const held = group.members.flatMap((m) => m.assignment.map((tp) => tp.topic))
  const missing = [...new Set(held)].filter((t) => !known.has(t))
  if (missing.length > 0) add(await admin.fetchOffsets({ groupId: group.groupId, topics: missing }))
  return out
}

interface Holder {
  readonly consumerId: string
  readonly host: string
  readonly clientId: string
}

const NOBODY: Holder = { consumerId: MISSING, host: MISSING, clientId: MISSING }

function row(
  groupId: string,
  topic: string,
  partition: number,
  o: PartitionOffsetLag | undefined,
  h: Holder,
): string[] {
  const committed = o !== undefined && Number(o.offset) >= 0
  return [
    groupId,
    topic,
    String(partition),
    committed ? o.offset : MISSING,
    o?.endOffset ?? MISSING,
    committed ? (o.lag ?? MISSING) : MISSING,
    h.consumerId,
    h.host,
    h.clientId,
  ]
}

const byTopicPartition = (a: { topic: string; partition: number }, b: typeof a) =>
  a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1

/** The rows of one group, in Kafka's order. */
function offsetRows(group: DescribedConsumerGroup, offsets: Offsets): string[][] {
  const rows: string[][] = []
  const held = new Set<string>()
  const members = group.members
    .filter((m) => m.assignment.length > 0)
    .sort((a, b) => b.assignment.length - a.assignment.length)
  for (const m of members) {
    const holder = {
      consumerId: m.memberId,
      host: m.clientHost === '' ? MISSING : m.clientHost,
      clientId: m.clientId,
    }
    for (const tp of [...m.assignment].sort(byTopicPartition)) {
      held.add(key(tp.topic, tp.partition))
      rows.push(
        row(
          group.groupId,
          tp.topic,
          tp.partition,
          offsets.get(key(tp.topic, tp.partition)),
          holder,
        ),
      )
    }
  }
  const rest = [...offsets.entries()]
    .filter(([k, o]) => !held.has(k) && Number(o.offset) >= 0)
    .map(([, o]) => o)
    .sort(byTopicPartition)
  for (const o of rest) rows.push(row(group.groupId, o.topic, o.partition, o, NOBODY))
  return rows
}

/**
 * Say what the group's state means (on stderr, as Kafka does); false for an unknown group,
 * which is reported as an error.
 */
function noteState(group: DescribedConsumerGroup, io: CliIo): boolean {
  const id = group.groupId
  switch (group.state) {
    case 'Dead':
      io.stderr.line(`${PROGRAM}: Consumer group '${id}' does not exist.`)
      return false
    case 'Empty':
      io.stderr.line(`\nConsumer group '${id}' has no active members.`)
      return true
    case 'PreparingRebalance':
    case 'CompletingRebalance':
      io.stderr.line(`\nWarning: Consumer group '${id}' is rebalancing.`)
      return true
    default:
      return true
  }
}

function printTable(io: CliIo, lines: readonly string[]): void {
  io.stdout.line()
  for (const l of lines) io.stdout.line(l)
}

async function describeOffsets(admin: Admin, group: DescribedConsumerGroup, io: CliIo) {
  const rows = offsetRows(group, await offsetsOf(admin, group))
  if (rows.length > 0) printTable(io, tableLines(OFFSET_COLUMNS, rows))
}

async function describeState(admin: Admin, group: DescribedConsumerGroup, io: CliIo) {
  const { brokers } = await admin.describeCluster()
  const host = brokers.find((b) => b.nodeId === group.coordinator)
  const at = host === undefined ? MISSING : `${host.host}:${host.port}  (${host.nodeId})`
  const columns = [
    nameColumn('GROUP'),
    { header: 'COORDINATOR (ID)', width: 25 },
    fixedColumn('ASSIGNMENT-STRATEGY', 20),
    fixedColumn('STATE', 20),
    { header: '#MEMBERS', width: 0 },
  ]
  const strategy = group.protocol === '' ? MISSING : group.protocol
  const row = [group.groupId, at, strategy, group.state, String(group.members.length)]
  printTable(io, tableLines(columns, [row]))
}

/** `--describe` of `groupIds`; resolves false if one of them does not exist. */
export async function describeGroups(
  admin: Admin,
  groupIds: readonly string[],
  io: CliIo,
  state: boolean,
): Promise<boolean> {
  let ok = true
  const groups = await admin.describeGroups([...new Set(groupIds)].sort())
  for (const group of groups) {
    if (!noteState(group, io)) {
      ok = false
      continue
    }
    if (state) await describeState(admin, group, io)
    else await describeOffsets(admin, group, io)
    await io.stdout.ready()
  }
  return ok
}
