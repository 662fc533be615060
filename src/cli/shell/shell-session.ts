/**
 * The shell's state and its reading of one line: the cluster it holds, one ZooKeeper session
 * that lives as long as the shell (its ephemerals and watches persist from line to line), and
 * the status of the last command. A line is the shell's own word (`help`, `quit`), a command
 * of the command line (`topics --list`), a ZooKeeper command (`ls /`, or `zk ls /`), or an
 * unknown word.
 */
import type { Command } from '../command.js'
import { EXIT } from '../errors.js'
import { commandHelp } from '../help.js'
import type { CliIo, Output } from '../io.js'
import type { OpenCluster } from '../open-cluster.js'
import { executeWords, ZK_COMMANDS } from '../zk/execute.js'
import type { LineHandler, MoreLines } from '../zk/prompt.js'
import { ZkSession } from '../zk/session.js'
import { splitLine } from '../zk/tokens.js'
import { shellHelp } from './help.js'
import { ShellInterrupts } from './interrupts.js'
import { runInShell } from './run-command.js'

/** Session events (`SyncConnected`, `Closed`) are not the shell's output. */
const DISCARD: Output = {
  isTTY: false,
  write: () => undefined,
  line: () => undefined,
  ready: () => Promise.resolve(),
  flush: () => Promise.resolve(),
}

/** Longer than any command runs (Node's timers take at most 2^31 - 1 ms). */
const KEEP_ALIVE_MS = 2 ** 31 - 1

/** The exit status of a zk command line's outcome. */
const ZK_STATUS = { ok: EXIT.OK, quit: EXIT.OK, failed: EXIT.USER_ERROR, usage: EXIT.USAGE }

/** A shell on an open cluster. */
export class ShellSession implements LineHandler {
  readonly #io: CliIo
  readonly #open: OpenCluster
  readonly #label: string
  readonly #commands: readonly Command[]
  /** The ZooKeeper session of the shell's zk commands. */
  readonly zk: ZkSession
  /** The exit status of the last command run (the shell's own words count as 0). */
  lastStatus: number = EXIT.OK
  readonly #interrupts = new ShellInterrupts()

  /** A shell on `open`, shown as `label`, that runs `commands`; its zk session connects now. */
  constructor(io: CliIo, open: OpenCluster, label: string, commands: readonly Command[]) {
    this.#io = io
    this.#open = open
    this.#label = label
    this.#commands = commands
    this.zk = new ZkSession({
      coordinator: open.cluster.coordinator,
      out: io.stdout,
      err: io.stderr,
      sessionOut: DISCARD,
    })
    this.zk.connect()
  }

  /** The prompt on a terminal: `logkeeper:<dir>> `. */
  prompt(): string {
    return `logkeeper:${this.#label}> `
  }

  /** Ctrl-C at a terminal while a line runs: to the records being read, or to the command. */
  interrupt(): boolean {
    return this.#interrupts.interrupt()
  }

  /** Run one line: the shell's own word, a command of the command line, or a zk command. */
  async execute(line: string, more: MoreLines): Promise<'quit' | undefined> {
    // The process lives while a line runs, even when stdin has ended and the command waits
    // only on the cluster's background timers (a group's join).
    const clock = this.#open.cluster.clock
    const keepAlive = clock.setTimeout(() => undefined, KEEP_ALIVE_MS, { ref: true })
    try {
      return await this.#execute(line, more)
    } finally {
      clock.clearTimeout(keepAlive)
    }
  }

  async #execute(line: string, more: MoreLines): Promise<'quit' | undefined> {
    const words = splitLine(line.trim())
    const name = words[0]
    if (name === undefined) return undefined
    if (name === 'quit' || name === 'exit') return 'quit'
    if (name === 'help') {
      this.lastStatus = this.#help(words[1])
      return undefined
    }
    if (name === 'zk') return this.#zk(words.slice(1), line.trim().replace(/^zk\s*/, ''))
    const command = this.#commands.find((c) => c.name === name)
    if (command !== undefined) {
      this.lastStatus = await runInShell(
        { io: this.#io, open: this.#open, interrupts: this.#interrupts },
        command,
        words.slice(1),
        more,
      )
      return undefined
    }
    if (ZK_COMMANDS.has(name) || name === 'redo') return this.#zk(words, line.trim())
    this.#io.stderr.line(`${name}: unknown command ('help' lists the commands)`)
    this.lastStatus = EXIT.USAGE
    return undefined
  }

  async #zk(words: readonly string[], line: string): Promise<'quit' | undefined> {
    if (words.length === 0) {
      this.#io.stderr.line("zk: give a ZooKeeper command ('zk ls /', or just 'ls /')")
      this.lastStatus = EXIT.USAGE
      return undefined
    }
    const outcome = await executeWords(this.zk, words, line)
    this.lastStatus = ZK_STATUS[outcome]
    return outcome === 'quit' ? 'quit' : undefined
  }

  #help(about: string | undefined): number {
    if (about === undefined) {
      this.#io.stdout.write(shellHelp(this.#commands, this.#label))
      return EXIT.OK
    }
    const command = this.#commands.find((c) => c.name === about)
    const zk = ZK_COMMANDS.get(about)
    if (command === undefined && zk !== undefined) {
      this.#io.stdout.line(zk.usage.trimEnd())
      return EXIT.OK
    }
    if (command === undefined) {
      this.#io.stderr.line(`help: no command ${about} ('help' lists the commands)`)
      return EXIT.USAGE
    }
    this.#io.stdout.write(commandHelp(command))
    return EXIT.OK
  }

  /** End the zk session (its ephemerals go, their watches fire elsewhere). */
  close(): Promise<void> {
    return this.zk.close(true)
  }
}
