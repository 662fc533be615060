/**
 * The sticky assignment when subscriptions differ (Kafka's `GeneralAssignmentBuilder`):
 *
 * 1. Members keep their previous partitions of topics they still subscribe to.
 * 2. Each unassigned partition (topics with fewest potential members first) goes to the
 *    subscribed member holding the fewest partitions (ties: smallest id).
 * 3. Partitions move from members that hold two or more than a potential taker to that taker
 *    until the assignment is balanced, preferring to hand a partition back to its owner of the
 *    previous generation; if the moves do not improve the balance score, they are undone.
 */

import { compareStrings, type NormalizedInput, tp } from '../common.js'
import { tpKey } from '../java-hash.js'
import type { TopicPartition } from '../types.js'
import type { StickyBuild } from './constrained.js'
import { DEFAULT_GENERATION } from './member-data.js'
import type { Ownership } from './ownership.js'
import { PartitionMovements } from './partition-movements.js'
import { SortedMembers } from './sorted-members.js'

interface Previous {
  readonly member: string
  readonly generation: number
}

/**
 * Build the assignment for differing subscriptions.
 *
 * @param input - the normalised input (partition counts, members, Kafka's member order)
 * @param ownership - previous ownership, resolved
 */
export function buildGeneral(input: NormalizedInput, ownership: Ownership): StickyBuild {
  return new GeneralBuilder(input, ownership).build()
}

class GeneralBuilder {
  private readonly counts: ReadonlyMap<string, number>
  private readonly topicMembers = new Map<string, string[]>()
  private readonly memberTopics = new Map<string, string[]>()
  private current: Map<string, TopicPartition[]>
  private ownerOf = new Map<string, string>()
  private readonly sortedPartitions: TopicPartition[]
  private readonly sorted: SortedMembers
  private readonly movements = new PartitionMovements()
  private revocationRequired = false
  private readonly total: number

  constructor(
    private readonly input: NormalizedInput,
    private readonly ownership: Ownership,
  ) {
    this.counts = input.partitionsPerTopic
    let total = 0
    for (const [topic, n] of this.counts) {
      this.topicMembers.set(topic, [])
      total += n
    }
    this.total = total
    for (const member of input.hashOrder) {
      const topics = input.byId.get(member)!.topics.filter((t) => this.counts.has(t))
      this.memberTopics.set(member, topics)
      for (const t of topics) this.topicMembers.get(t)!.push(member)
    }
    this.current = new Map(input.hashOrder.map((m) => [m, [...ownership.owned.get(m)!]]))
    for (const [member, list] of this.current)
      for (const p of list) this.ownerOf.set(tpKey(p), member)
    const topics = [...this.counts.keys()].sort(
      (a, b) =>
        this.topicMembers.get(a)!.length - this.topicMembers.get(b)!.length || compareStrings(a, b),
    )
    this.sortedPartitions = topics.flatMap((t) =>
      Array.from({ length: this.counts.get(t)! }, (_, p) => tp(t, p)),
    )
    this.sorted = new SortedMembers((m) => this.current.get(m)!.length)
  }

  build(): StickyBuild {
    const previous = this.previousAssignment()
    const assigned = this.keepOwnedPartitions()
    const unassigned = this.sortedPartitions.filter((p) => !assigned.has(tpKey(p)))
    for (const member of this.current.keys()) this.sorted.add(member)
    this.balance(previous, unassigned)
    return { assignment: this.current, transferring: null, sticky: this.movements.isSticky() }
  }

  /** Claims of generations below the highest (Kafka's `prepopulateCurrentAssignments`). */
  private previousAssignment(): Map<string, Previous> {
    const previous = new Map<string, Previous>()
    const max = this.ownership.maxGeneration
    for (const member of this.input.hashOrder) {
      const data = this.ownership.memberData.get(member)!
      let generation: number
      if (data.generation !== undefined && data.generation < max) generation = data.generation
      else if (data.generation === undefined && max > DEFAULT_GENERATION) generation = -1
      else continue
      for (const p of data.partitions) {
        const had = previous.get(tpKey(p))
        if (had === undefined || generation > had.generation) {
          previous.set(tpKey(p), { member, generation })
        }
      }
    }
    return previous
  }

  /** Drop owned partitions of topics a member no longer subscribes to; the rest stay. */
  private keepOwnedPartitions(): Set<string> {
    const assigned = new Set<string>()
    for (const [member, list] of this.current) {
      const topics = this.input.byId.get(member)!.topicSet
      const kept = list.filter((p) => topics.has(p.topic))
      if (kept.length < list.length) this.revocationRequired = true
      this.current.set(member, kept)
      for (const p of kept) assigned.add(tpKey(p))
    }
    return assigned
  }

  private size(member: string): number {
    return this.current.get(member)!.length
  }

  private subscribes(member: string, topic: string): boolean {
    return this.memberTopics.get(member)!.includes(topic)
  }

  private maxAssignmentSize(member: string): number {
    const topics = this.memberTopics.get(member)!
    if (topics.length === this.counts.size) return this.total
    return topics.reduce((sum, t) => sum + this.counts.get(t)!, 0)
  }

  private isBalanced(): boolean {
    const min = this.size(this.sorted.first()!)
    const max = this.size(this.sorted.last()!)
    if (min >= max - 1) return true
    const owner = new Map<string, string>()
    for (const [member, list] of this.current) for (const p of list) owner.set(tpKey(p), member)
    for (const member of this.sorted) {
      const size = this.size(member)
      if (size === this.maxAssignmentSize(member)) continue
      const mine = new Set(this.current.get(member)!.map(tpKey))
      for (const topic of this.memberTopics.get(member)!) {
        for (let p = 0; p < this.counts.get(topic)!; p++) {
          const key = `${p}:${topic}`
          if (mine.has(key)) continue
          const other = owner.get(key)
          if (other !== undefined && size + 1 < this.size(other)) return false
        }
      }
    }
    return true
  }

  private balanceScore(assignment: ReadonlyMap<string, TopicPartition[]>): number {
    const sizes = [...assignment.values()].map((l) => l.length)
    let score = 0
    for (let i = 0; i < sizes.length; i++) {
      for (let j = i + 1; j < sizes.length; j++) score += Math.abs(sizes[i]! - sizes[j]!)
    }
    return score
  }

  private assignToLeastLoaded(partition: TopicPartition): void {
    for (const member of this.sorted) {
      if (!this.subscribes(member, partition.topic)) continue
      this.sorted.remove(member)
      this.current.get(member)!.push(partition)
      this.ownerOf.set(tpKey(partition), member)
      this.sorted.add(member)
      return
    }
  }

  private canTopicMove(topic: string): boolean {
    return this.topicMembers.get(topic)!.length >= 2
  }

  private canMemberChange(member: string): boolean {
    if (this.size(member) < this.maxAssignmentSize(member)) return true
    return this.current.get(member)!.some((p) => this.canTopicMove(p.topic))
  }

  private balance(previous: Map<string, Previous>, unassigned: TopicPartition[]): void {
    const initializing = this.size(this.sorted.last()!) === 0
    for (const p of unassigned) {
      if (this.topicMembers.get(p.topic)!.length > 0) this.assignToLeastLoaded(p)
    }
    const movable = (p: TopicPartition) => this.canTopicMove(p.topic)
    const reassignable = this.sortedPartitions.filter(movable)
    const newlyAssignable = unassigned.filter(movable)
    const fixed = new Map<string, TopicPartition[]>()
    for (const member of this.input.hashOrder) {
      if (this.canMemberChange(member)) continue
      this.sorted.remove(member)
      fixed.set(member, this.current.get(member)!)
      this.current.delete(member)
    }
    const before = new Map<string, TopicPartition[]>([...this.current].map(([m, l]) => [m, [...l]]))
    const ownersBefore = new Map(this.ownerOf)
    if (!this.revocationRequired) this.performReassignments(newlyAssignable, previous)
    const moved = this.performReassignments(reassignable, previous)
    if (!initializing && moved && this.balanceScore(this.current) >= this.balanceScore(before)) {
      this.current = before
      this.ownerOf = ownersBefore
    }
    for (const [member, list] of fixed) {
      this.current.set(member, list)
      this.sorted.add(member)
    }
  }

  private performReassignments(partitions: TopicPartition[], previous: Map<string, Previous>) {
    let performed = false
    let modified: boolean
    do {
      modified = false
      for (const p of partitions) {
        if (this.isBalanced()) break
        const owner = this.ownerOf.get(tpKey(p))!
        const prev = previous.get(tpKey(p))?.member
        if (
          prev !== undefined &&
          this.current.has(prev) &&
          this.subscribes(prev, p.topic) &&
          this.size(owner) > this.size(prev) + 1
        ) {
          this.reassign(p, prev)
          performed = modified = true
          continue
        }
        for (const other of this.topicMembers.get(p.topic)!) {
          if (this.size(owner) > this.size(other) + 1) {
            this.reassign(p, this.leastLoadedSubscriber(p.topic))
            performed = modified = true
            break
          }
        }
      }
    } while (modified)
    return performed
  }

  private leastLoadedSubscriber(topic: string): string {
    for (const member of this.sorted) if (this.subscribes(member, topic)) return member
    throw new Error(`sticky assignor: no member subscribes to ${topic}`)
  }

  private reassign(partition: TopicPartition, to: string): void {
    const from = this.ownerOf.get(tpKey(partition))!
    const moving = this.movements.partitionToMove(partition, from, to)
    const owner = this.ownerOf.get(tpKey(moving))!
    this.sorted.remove(owner)
    this.sorted.remove(to)
    this.movements.move(moving, owner, to)
    const list = this.current.get(owner)!
    list.splice(
      list.findIndex((q) => tpKey(q) === tpKey(moving)),
      1,
    )
    this.current.get(to)!.push(moving)
    this.ownerOf.set(tpKey(moving), to)
    this.sorted.add(to)
    this.sorted.add(owner)
  }
}
