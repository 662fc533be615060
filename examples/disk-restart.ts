/**
 * Disk mode across a restart: one data directory holds a partition log (Kafka's segment files
 * in `<dir>/logs`) and a coordinator (its txn log and snapshots in the `coordinator` sublevel
 * of `<dir>/meta`).
 *
 * 1. The first "process" appends records and creates znodes: persistent ones, and an
 *    ephemeral one owned by a worker's session. Then it stops without closing that session,
 *    as a process that is killed would.
 * 2. The second "process" opens the same directory: the records are back at the same offsets
 *    and new ones continue after them; the persistent znodes are back with the same zxids and
 *    new writes get later ones. The ephemeral node is still there, owned by the previous
 *    process's session, which no client can resume: once that session's timeout has passed on
 *    the virtual clock, the session expires and its ephemeral node goes, as after a ZooKeeper
 *    restart.
 *
 * Run it: `npx tsx examples/disk-restart.ts`.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createCoordinator,
  type DataDir,
  decodeRecordBatch,
  encodeRecordBatch,
  openDataDir,
  PartitionLog,
  VirtualClock,
} from 'logkeeper'

const say = (line = '') => console.log(line)
const topicPartition = { topic: 'payments', partition: 0 }
const SESSION_TIMEOUT_MS = 6_000

async function openLog(data: DataDir, clock: VirtualClock): Promise<PartitionLog> {
  return PartitionLog.open({
    topicPartition,
    store: await data.logs.openPartition(topicPartition),
    clock,
  })
}

async function readAll(log: PartitionLog): Promise<string[]> {
  const lines: string[] = []
  let offset = log.logStartOffset
  while (offset < log.logEndOffset) {
    const read = await log.read(offset, { maxBytes: 1 }) // one batch per read
    for (const record of decodeRecordBatch(read.bytes).records) {
      lines.push(`offset ${record.offset} ${record.key?.toString()}=${record.value?.toString()}`)
    }
    offset = read.nextOffset
  }
  return lines
}

async function firstProcess(dir: string): Promise<void> {
  say('== first process')
  const clock = new VirtualClock()
  const data = await openDataDir(dir)
  const log = await openLog(data, clock)
  for (const [key, value] of [
    ['p-1', '{"amount":10}'],
    ['p-2', '{"amount":25}'],
    ['p-3', '{"amount":40}'],
  ]) {
    const info = await log.appendDurable(
      encodeRecordBatch({ baseOffset: 0n, records: [{ key: key!, value: value! }] }),
    )
    say(`appended ${key} at offset ${info.baseOffset}`)
  }

  const coordinator = await createCoordinator({ clock, db: data.sublevel('coordinator') })
  const admin = coordinator.connect()
  const worker = coordinator.connect({ sessionTimeoutMs: SESSION_TIMEOUT_MS })
  for (const [path, value] of [
    ['/payments', ''],
    ['/payments/config', '{"currency":"EUR"}'],
    ['/payments/workers', ''],
  ]) {
    const { stat } = await admin.create(path!, value!)
    say(`created ${path} (persistent), czxid 0x${stat.czxid.toString(16)}`)
  }
  const { stat } = await worker.create('/payments/workers/w1', 'host-1:9000', {
    mode: 'ephemeral',
  })
  say(
    `created /payments/workers/w1 (ephemeral of session 0x${worker.sessionId.toString(16)}), czxid 0x${stat.czxid.toString(16)}`,
  )

  // Stop: the log and the database are closed, the sessions are not (a killed process).
  await admin.close()
  await coordinator.close()
  await log.close()
  await data.close()
  say('stopped (the worker session was never closed)')
}

async function secondProcess(dir: string): Promise<void> {
  say('\n== second process, same directory')
  const clock = new VirtualClock()
  const start = clock.now()
  const data = await openDataDir(dir)
  const log = await openLog(data, clock)
  say(`log reopened: log start ${log.logStartOffset}, log end ${log.logEndOffset}`)
  for (const line of await readAll(log)) say(`  ${line}`)
  const info = await log.appendDurable(
    encodeRecordBatch({ baseOffset: 0n, records: [{ key: 'p-4', value: '{"amount":55}' }] }),
  )
  say(`appended p-4 at offset ${info.baseOffset}`)

  const coordinator = await createCoordinator({ clock, db: data.sublevel('coordinator') })
  const zk = coordinator.connect()
  for (const path of ['/payments', '/payments/config', '/payments/workers']) {
    const { data: value, stat } = await zk.getData(path)
    say(`  ${path} is back: czxid 0x${stat.czxid.toString(16)}, data '${value?.toString() ?? ''}'`)
  }
  const stat = await zk.exists('/payments/workers/w1')
  say(
    `  /payments/workers/w1 is still there, owner 0x${stat?.ephemeralOwner.toString(16)}: ${(await zk.getChildren('/payments/workers')).join(', ')}`,
  )
  const { stat: created } = await zk.create('/payments/restarted', '')
  say(`created /payments/restarted, czxid 0x${created.czxid.toString(16)}`)

  await zk.getChildren('/payments/workers', {
    watch: (event) =>
      say(`  watch fired at +${clock.now() - start} ms: ${event.type} ${event.path}`),
  })
  await clock.advance(SESSION_TIMEOUT_MS / 2)
  say(
    `at +${clock.now() - start} ms workers: ${(await zk.getChildren('/payments/workers')).join(', ') || '(none)'}`,
  )
  await clock.advance(SESSION_TIMEOUT_MS)
  say(
    `at +${clock.now() - start} ms workers: ${(await zk.getChildren('/payments/workers')).join(', ') || '(none)'}`,
  )

  await zk.close()
  await coordinator.close()
  await log.close()
  await data.close()
}

const dir = await mkdtemp(join(tmpdir(), 'logkeeper-restart-'))
try {
  await firstProcess(dir)
  await secondProcess(dir)
} finally {
  await rm(dir, { recursive: true, force: true })
}
