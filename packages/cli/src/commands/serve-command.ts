import { join } from 'node:path'
import { PackwrightError } from '@packwright/core'
import {
  DEFAULT_DATA_FOLDER,
  type ServerConfig,
  createServer,
  dataFolderLayout,
  formatLogLine,
  loadServerConfig,
  loadSpiceSettings,
  openEmbeddedStorage,
  resolveAccessTokens,
  resolveCodenowApiKeys,
} from '@packwright/server'
import type { CliIo } from '../cli-io.js'
import { parseCommandLine, parseIntegerOption } from '../parse-command-line.js'
import { UsageError } from '../usage-error.js'

const HELP = `Usage: packwright serve [options]

Run the package server (Cloud Foundry v3 packages, resource matching,
uploads and downloads) until SIGINT or SIGTERM.

Options:
  --data <dir>      Data folder: metadata, blobs, uploads. Default: ./${DEFAULT_DATA_FOLDER}
  --port <n>        Port to listen on (0: any free port). Default: 8080
  --host <h>        Address to listen on. Default: 127.0.0.1
  --config <file>   Config file (JSON or YAML): hashed tokens, limits, data folder.
  -h, --help        Show this help.

PACKWRIGHT_TOKEN, when set, is accepted as one admin bearer token, and as
a CodeNOW API key (X-Codenow-Api-Key) for every application.
Without any token the server listens only on loopback.
`

const OPTIONS = {
  data: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

const DEFAULT_PORT = 8080
const DEFAULT_HOST = '127.0.0.1'

/** Addresses only this machine can reach. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host)
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host
}

/** Log lines go to stdout: JSON, or one short line each on a terminal. */
function logStream(io: CliIo): { write(line: string): void } {
  const terminal = (io.stdout as { isTTY?: boolean }).isTTY === true
  return {
    write(line: string) {
      io.stdout.write(terminal ? `${formatLogLine(line.trimEnd())}\n` : line)
    },
  }
}

/**
 * `packwright serve`: opens the embedded storage, listens, prints where, and
 * on `signal` stops taking requests, lets those in flight finish (an upload
 * cut short is discarded; its package stays AWAITING_UPLOAD) and closes the
 * storage. The environment is read here, at the edge.
 */
export async function runServeCommand(
  args: readonly string[],
  io: CliIo,
  signal?: AbortSignal,
  environment: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const { values, positionals } = parseCommandLine('serve', args, OPTIONS)
  if (values.help === true) {
    io.stdout.write(HELP)
    return 0
  }
  if (positionals.length > 0) {
    throw new UsageError(`serve takes no arguments, got ${JSON.stringify(positionals[0])}`)
  }
  const port = parseIntegerOption('port', values.port, 0, 65535) ?? DEFAULT_PORT
  const host = values.host ?? DEFAULT_HOST
  const config: ServerConfig =
    values.config === undefined ? { tokens: [] } : await loadServerConfig(values.config)
  const tokens = resolveAccessTokens(config.tokens, environment.PACKWRIGHT_TOKEN)
  if (tokens.length === 0 && !isLoopback(host)) {
    throw new PackwrightError(
      'INVALID_ARGUMENT',
      `Refusing to listen on ${JSON.stringify(host)} without a token: anyone who can reach it could upload and delete packages.`,
      { hint: 'Set PACKWRIGHT_TOKEN, list tokens in --config, or listen on 127.0.0.1.' },
    )
  }
  const layout = dataFolderLayout(values.data ?? config.dataFolder ?? DEFAULT_DATA_FOLDER)
  const storage = await openEmbeddedStorage(layout.root)
  try {
    const app = await createServer({
      storage,
      tokens,
      uploadFolder: join(layout.temporary, 'uploads'),
      logger: { level: 'info', stream: logStream(io) },
      codenow: {
        ...config.codenow,
        apiKeys: resolveCodenowApiKeys(config.codenow?.apiKeys ?? [], environment.PACKWRIGHT_TOKEN),
      },
      spice: await loadSpiceSettings(config.spice),
      ...(config.externalUrl === undefined ? {} : { externalUrl: config.externalUrl }),
      ...(config.bodyLimitBytes === undefined ? {} : { bodyLimitBytes: config.bodyLimitBytes }),
      ...(config.minimumMatchableSize === undefined
        ? {}
        : { minimumMatchableSize: config.minimumMatchableSize }),
      ...(config.maximumMatchableSize === undefined
        ? {}
        : { maximumMatchableSize: config.maximumMatchableSize }),
    })
    try {
      await app.listen({ host, port })
      const address = app.server.address()
      const boundPort = typeof address === 'object' && address !== null ? address.port : port
      io.stderr.write(
        `packwright serve: listening on http://${urlHost(host)}:${boundPort}\n` +
          `packwright serve: data in ${layout.root}\n` +
          (tokens.length === 0
            ? 'packwright serve: no tokens configured: loopback only, every request is refused\n'
            : ''),
      )
      await new Promise<void>((resolve) => {
        if (signal === undefined || signal.aborted) return resolve()
        signal.addEventListener('abort', () => resolve(), { once: true })
      })
    } finally {
      await app.close()
    }
  } finally {
    await storage.close()
  }
  return 0
}
