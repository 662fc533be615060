/**
 * Removal of empty containers and expired TTL nodes (ZooKeeper's `ContainerManager`). Every
 * `intervalMs` while such nodes exist, it deletes each container that has had children
 * (a child create) and has none left, and each childless TTL node unchanged for longer than its
 * TTL. Each removal is a server write (session 0) with its own zxid, as ZooKeeper's
 * `deleteContainer` requests. The timer runs only while containers or TTL nodes exist.
 */
import type { Timer } from '../common/clock.js'
import type { InProcessCoordinator } from './coordinator.js'
import { prepDeleteContainer } from './prep.js'

/** Finds and deletes the nodes due for removal. */
export class ContainerReaper {
  readonly #server: InProcessCoordinator
  readonly #intervalMs: number
  #timer: Timer | undefined
  #stopped = false

  constructor(server: InProcessCoordinator, intervalMs: number) {
    this.#server = server
    this.#intervalMs = intervalMs
  }

  /** Arm the check if containers or TTL nodes exist and it is not armed. */
  wake(): void {
    if (this.#timer !== undefined || this.#stopped) return
    const tree = this.#server.tree
    if (tree.containers.size === 0 && tree.ttls.size === 0) return
    this.#timer = this.#server.clock.setTimeout(() => this.#check(), this.#intervalMs)
  }

  /** The paths due for removal now. */
  candidates(): string[] {
    const tree = this.#server.tree
    const out: string[] = []
    for (const path of tree.containers) {
      const node = tree.getNode(path)
      if (node !== undefined && node.numChildren === 0 && node.childCreates > 0) out.push(path)
    }
    const now = this.#server.clock.now()
    for (const path of tree.ttls) {
      const node = tree.getNode(path)
      if (node !== undefined && node.numChildren === 0 && now - node.mtime > node.special) {
        out.push(path)
      }
    }
    return out
  }

  #check(): void {
    this.#timer = undefined
    if (this.#stopped || this.#server.unavailable !== undefined) return
    for (const path of this.candidates()) {
      try {
        this.#server.apply(0, prepDeleteContainer(this.#server.tree, path))
      } catch (error) {
        this.#server.fail(0, error).catch(() => {})
      }
    }
    this.wake()
  }

  /** Stop for good. */
  stop(): void {
    this.#stopped = true
    this.#server.clock.clearTimeout(this.#timer)
    this.#timer = undefined
  }
}
