import {
  type PackagingOptions,
  type PushResult,
  createPackwrightClient,
  pushPackage,
} from '@packwright/client'
import type { CliIo } from '../cli-io.js'
import { formatBytes } from '../format-bytes.js'
import { parseCommandLine } from '../parse-command-line.js'
import { UsageError } from '../usage-error.js'
import { PACKAGING_OPTIONS, parsePackagingOptions } from './packaging-options.js'
import { createPushProgressDisplay } from './push-command-progress.js'

const HELP = `Usage: packwright push <source> --server URL --app NAME [options]

Package a source as \`packwright generate\` does and push it to a package
server with resource matching: files the server already holds are not sent
again. Fails unless the server's package sha256 is the local package's.

<source>  the sources of \`packwright generate\`: a spicepod manifest, a folder,
          github:{org}/{repo}/{sha}/{path}, git:{repoDir}#{sha}[:{path}]

Options:
  --server URL               the server (required)
  --app NAME                 the app the package belongs to; created when missing (required)
  --token TOKEN              bearer token (default: $PACKWRIGHT_TOKEN)
  --version V                the packwright.dev/version annotation (default: the commit SHA
                             when the source is in git)
  --json                     print exactly one JSON object on stdout
  --mode MODE                auto | spicepod | directory (default: auto)
  --include GLOB             directory mode: include only matching files (repeatable)
  --exclude GLOB             directory mode: leave matching files out (repeatable)
  --follow-symlinks          directory mode: package link targets instead of links
  --allow-empty              directory mode: push an empty package instead of failing
  --no-ignore-files          directory mode: apply no ignore file (by default each folder's
                             .packwrightignore or .cfignore, else its .gitignore)
  --allow-refs               accept branch or tag names where a commit SHA is expected
  --compression-level N      0 (store) to 9 (default: 6)
  --source-date-epoch N      entry timestamp in seconds (default: the commit time, else 1980-01-01)
  --github-api-url URL       GitHub REST API base (default: https://api.github.com)

Progress goes to stderr when it is a terminal. A git checkout or git: source
annotates the package with its commit (packwright.dev/commit-sha, author,
committer, dates, message and branch).
`

const OPTIONS = {
  server: { type: 'string' },
  app: { type: 'string' },
  token: { type: 'string' },
  version: { type: 'string' },
  json: { type: 'boolean' },
  ...PACKAGING_OPTIONS,
  help: { type: 'boolean', short: 'h' },
} as const

/** The machine-readable result: exactly what `--json` prints. */
export function toPushJson(result: PushResult, app: string, server: string) {
  return {
    server,
    app,
    appGuid: result.appGuid,
    guid: result.guid,
    state: result.state,
    sha256: result.sha256,
    files: result.files,
    totalBytes: result.totalBytes,
    packageBytes: result.packageBytes,
    bytesSent: result.bytesSent,
    requestBytes: result.requestBytes,
    filesMatched: result.filesMatched,
    filesSent: result.filesSent,
    timeMs: result.durationMs,
    annotations: result.annotations,
  }
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '0.0%' : `${((part / whole) * 100).toFixed(1)}%`
}

/** The human summary printed on stdout. */
export function formatPushSummary(result: PushResult, app: string, server: string): string {
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`
  return (
    `pushed ${plural(result.files, 'file')} to app ${JSON.stringify(app)} on ${server}\n` +
    `  package  ${result.guid} (${result.state})\n` +
    `  sha256   ${result.sha256} (the same as packwright generate)\n` +
    `  files    ${result.files} (${formatBytes(result.totalBytes)}), ${result.filesMatched} matched on the server, ${result.filesSent} sent\n` +
    `  sent     ${formatBytes(result.bytesSent)} (${result.bytesSent} bytes) of a ${formatBytes(result.packageBytes)} package (${percent(result.bytesSent, result.packageBytes)})\n` +
    `  time     ${(result.durationMs / 1000).toFixed(2)} s\n`
  )
}

/**
 * `packwright push`: reads the token from `--token` or `PACKWRIGHT_TOKEN`
 * (the environment is read here, at the edge), pushes with the client and
 * prints the summary or one JSON object.
 */
export async function runPushCommand(
  args: readonly string[],
  io: CliIo,
  signal?: AbortSignal,
  environment: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const { values, positionals } = parseCommandLine('push', args, OPTIONS)
  if (values.help === true) {
    io.stdout.write(HELP)
    return 0
  }
  if (positionals.length !== 1) {
    throw new UsageError(`push takes exactly one <source>, got ${positionals.length}`)
  }
  if (values.server === undefined) throw new UsageError('push needs --server URL')
  if (values.app === undefined || values.app.trim() === '') {
    throw new UsageError('push needs --app NAME (a non-empty app name)')
  }
  const token = values.token ?? environment.PACKWRIGHT_TOKEN
  const packaging: PackagingOptions = parsePackagingOptions(
    'push',
    values,
    environment.GITHUB_TOKEN,
  )
  const client = createPackwrightClient({
    serverUrl: values.server,
    token: token === '' ? undefined : token,
  })
  const progress = createPushProgressDisplay(io)
  const source = positionals[0] as string
  let result: PushResult
  try {
    result = await pushPackage({
      client,
      source,
      appName: values.app,
      version: values.version,
      packaging,
      ...(signal === undefined ? {} : { signal }),
      ...(progress === undefined ? {} : { onProgress: progress.report }),
    })
  } finally {
    progress?.finish()
    await client.close()
  }
  if (values.json === true) {
    io.stdout.write(`${JSON.stringify(toPushJson(result, values.app, client.serverUrl))}\n`)
  } else {
    io.stdout.write(formatPushSummary(result, values.app, client.serverUrl))
  }
  return 0
}
