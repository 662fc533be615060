/** The help texts: the top level's list of commands and each command's `--help`. */
import type { Command, OptionSpec } from './command.js'

/** The program's name in usage lines. */
export const PROGRAM = 'logkeeper'

function optionLabel(name: string, spec: OptionSpec): string {
  const short = spec.short === undefined ? '    ' : `-${spec.short}, `
  const value = spec.type === 'string' ? ` <${spec.valueName ?? 'value'}>` : ''
  return `${short}--${name}${value}`
}

/** A command's `--help`: usage lines, options, details. */
export function commandHelp(command: Command): string {
  const lines = command.usage.map((u, i) => `${i === 0 ? 'Usage: ' : '       '}${PROGRAM} ${u}`)
  lines.push('', command.summary, '', 'Options:')
  const options: [string, string][] = Object.entries(command.options).map(([name, spec]) => [
    optionLabel(name, spec),
    spec.description + (spec.multiple ? ' (may repeat)' : ''),
  ])
  options.push(['-h, --help', 'show this help'])
  const width = Math.max(...options.map(([label]) => label.length))
  for (const [label, text] of options) lines.push(`  ${label.padEnd(width)}  ${text}`)
  if (command.details !== undefined) lines.push('', command.details.trimEnd())
  return lines.join('\n') + '\n'
}

/** The top level's help: the commands and their summaries. */
export function topHelp(commands: readonly Command[], version: string): string {
  const width = Math.max(...commands.map((c) => c.name.length))
  return [
    `Usage: ${PROGRAM} <command> [options]`,
    '',
    `logkeeper ${version}: Kafka's and ZooKeeper's everyday tools over a logkeeper data directory.`,
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `Run '${PROGRAM} <command> --help' for a command's options.`,
    '',
  ].join('\n')
}
