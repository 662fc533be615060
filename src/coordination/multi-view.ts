/**
 * The nodes as a multi's later operations see them: the tree plus the changes of the earlier
 * operations of the same multi (ZooKeeper's outstanding `ChangeRecord`s). Only validation reads
 * it; nothing is applied until the whole multi is valid.
 */
import { parentOf, ROOT } from './paths.js'
import type { NodeRecord, NodeView } from './prep.js'
import type { TxnOp } from './txn.js'

interface Change {
  version: number
  ephemeralOwner: number
  numChildren: number
  childCreates: number
}

function copy(r: NodeRecord): Change {
  return {
    version: r.version,
    ephemeralOwner: r.ephemeralOwner,
    numChildren: r.numChildren,
    childCreates: r.childCreates,
  }
}

/** A copy-on-write overlay over a {@link NodeView}. */
export class MultiView implements NodeView {
  readonly #base: NodeView
  readonly #changes = new Map<string, Change | null>()

  constructor(base: NodeView) {
    this.#base = base
  }

  getNode(path: string): NodeRecord | undefined {
    const key = path === '' ? ROOT : path
    const change = this.#changes.get(key)
    if (change !== undefined) return change ?? undefined
    return this.#base.getNode(key)
  }

  #changed(path: string): Change {
    const key = path === '' ? ROOT : path
    const existing = this.#changes.get(key)
    if (existing) return existing
    const change = copy(this.#base.getNode(key) as NodeRecord)
    this.#changes.set(key, change)
    return change
  }

  /** Record the effect of a validated op so the next ops see it. */
  record(op: TxnOp): void {
    if (op.type === 'create') {
      const parent = this.#changed(parentOf(op.path))
      parent.numChildren++
      parent.childCreates++
      const node = {
        version: 0,
        ephemeralOwner: op.ephemeralOwner,
        numChildren: 0,
        childCreates: 0,
      }
      this.#changes.set(op.path, node)
    } else if (op.type === 'delete') {
      this.#changed(parentOf(op.path)).numChildren--
      this.#changes.set(op.path, null)
    } else if (op.type === 'setData') {
      this.#changed(op.path).version++
    }
  }
}
