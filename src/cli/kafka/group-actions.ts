/**
 * `consumer-groups --list` and `--delete`, with `kafka-consumer-groups.sh`'s output: the
 * group ids one a line (with `--state`, a GROUP / STATE table), and "Deletion of requested
 * consumer groups ('g01') was successful." or, per group that could not be deleted, why.
 */
import type { Admin } from '../../admin/admin.js'
import type { ErrorCode } from '../../common/errors.js'
import type { CliIo } from '../io.js'
import { tableLines } from './table.js'

/** `--list`: every group id, sorted; with `state`, each group's state beside it. */
export async function listGroups(admin: Admin, io: CliIo, state: boolean): Promise<void> {
  const groups = await admin.listGroups()
  if (!state) {
    for (const g of groups) io.stdout.line(g.groupId)
    return
  }
  const width = Math.max(15, ...groups.map((g) => g.groupId.length)) + 10
  const columns = [
    { header: 'GROUP', width, fixed: true },
    { header: 'STATE', width: 0 },
  ]
  for (const line of tableLines(
    columns,
    groups.map((g) => [g.groupId, g.state]),
  )) {
    io.stdout.line(line)
  }
}

/** Kafka's messages of the errors a deletion may meet. */
const WHY: Partial<Record<ErrorCode, string>> = {
  NON_EMPTY_GROUP: 'The group is not empty.',
  GROUP_ID_NOT_FOUND: 'The group id does not exist.',
  COORDINATOR_NOT_AVAILABLE: 'The coordinator is not available.',
}

const quoted = (ids: readonly string[]) => ids.map((g) => `'${g}'`).join(', ')

/** `--delete` of `groupIds`; resolves false if one of them could not be deleted. */
export async function deleteGroups(
  admin: Admin,
  groupIds: readonly string[],
  io: CliIo,
): Promise<boolean> {
  const results = await admin.deleteGroups([...new Set(groupIds)])
  const deleted = results.filter((r) => r.error === undefined).map((r) => r.groupId)
  const failed = results.filter((r) => r.error !== undefined)
  if (failed.length === 0) {
    io.stdout.line(`Deletion of requested consumer groups (${quoted(deleted)}) was successful.`)
    return true
  }
  io.stderr.line('Error: Deletion of some consumer groups failed:')
  for (const { groupId, error } of failed) {
    const why = WHY[error as ErrorCode] ?? error
    io.stderr.line(`* Group '${groupId}' could not be deleted due to: ${why}`)
  }
  if (deleted.length > 0) {
    io.stdout.line(`These consumer groups were deleted successfully: ${quoted(deleted)}`)
  }
  return false
}
