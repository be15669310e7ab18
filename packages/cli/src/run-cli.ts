import { createRequire } from 'node:module'
import type { CliIo } from './cli-io.js'
import { closestName } from './closest-name.js'
import { formatError } from './format-error.js'
import { UsageError } from './usage-error.js'

const USAGE = `Usage: packwright <command> [options]

Commands:
  generate <source>   Package a source into a deterministic zip.
                      <source>: a spicepod manifest path, a directory,
                      github:{org}/{repo}/{sha}/{path}, git:{repoDir}#{sha}[:{path}]
  inspect <zip>       List a zip's entries with checksums and validate it.
  verify <zip> <source>
                      Package the source again and say whether the zip is
                      identical, the same content, or different (and how).
  push <source>       Package a source and push it to a package server,
                      sending only the files the server does not hold.
  serve               Run the package server (Cloud Foundry v3 packages).

Run \`packwright <command> --help\` for a command's options.
`

const COMMANDS = ['generate', 'inspect', 'verify', 'push', 'serve'] as const

function unknownCommandMessage(command: string): string {
  const suggestion = closestName(command.replace(/^-+/, ''), COMMANDS)
  return (
    `packwright has no command ${JSON.stringify(command.slice(0, 60))}; ` +
    (suggestion === undefined
      ? `expected ${COMMANDS.join(', ')}`
      : `did you mean \`packwright ${suggestion}\`?`)
  )
}

export interface RunCliOptions {
  /** Stops the command: readers, writer and validator end early and remove their temp files. */
  readonly signal?: AbortSignal
}

/**
 * Runs one command line; returns the process exit code (0 ok, 1 failed, 2 usage).
 *
 * @throws the command's error, unprinted, when `signal` has aborted: the
 *   caller reports the interruption.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  options: RunCliOptions = {},
): Promise<number> {
  const [command, ...rest] = argv
  const { signal } = options
  try {
    switch (command) {
      // Each command is loaded only when it runs: `serve` alone brings in the
      // server and its database, about 20 MB that `generate` has no use for.
      case 'generate': {
        const { runGenerateCommand } = await import('./commands/generate-command.js')
        return await runGenerateCommand(rest, io, signal)
      }
      case 'inspect': {
        const { runInspectCommand } = await import('./commands/inspect-command.js')
        return await runInspectCommand(rest, io, signal)
      }
      case 'verify': {
        const { runVerifyCommand } = await import('./commands/verify-command.js')
        return await runVerifyCommand(rest, io, signal)
      }
      case 'push': {
        const { runPushCommand } = await import('./commands/push-command.js')
        return await runPushCommand(rest, io, signal)
      }
      case 'serve': {
        const { runServeCommand } = await import('./commands/serve-command.js')
        return await runServeCommand(rest, io, signal)
      }
      case '--version':
      case '-v': {
        const require = createRequire(import.meta.url)
        const { version } = require('../package.json') as { version: string }
        io.stdout.write(`${version}\n`)
        return 0
      }
      case undefined:
        io.stderr.write(USAGE)
        return 2
      case '--help':
      case '-h':
      case 'help':
        io.stdout.write(USAGE)
        return 0
      default:
        throw new UsageError(unknownCommandMessage(command))
    }
  } catch (error) {
    if (signal?.aborted === true) throw error
    io.stderr.write(formatError(error))
    return error instanceof UsageError ? 2 : 1
  }
}
