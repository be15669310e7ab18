import { type ChildProcess, spawn } from 'node:child_process'
import { CLI_PATH } from './packwright-cli.js'

/** A `packwright serve` process on a free loopback port. */
export interface ServeProcess {
  readonly child: ChildProcess
  readonly url: string
  stderr(): string
  /** Ends the process with `signal` and answers once it has exited. */
  stop(signal: NodeJS.Signals): Promise<void>
}

/**
 * Starts `packwright serve --data <dataFolder>` with one admin token on
 * `port` (0: any free one) and waits for its URL.
 */
export function startPackwrightServe(
  dataFolder: string,
  token: string,
  port = 0,
): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [CLI_PATH, 'serve', '--data', dataFolder, '--port', String(port), '--host', '127.0.0.1'],
    { env: { ...process.env, PACKWRIGHT_TOKEN: token }, stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let stderr = ''
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1]
      if (url === undefined) return
      resolve({
        child,
        url,
        stderr: () => stderr,
        async stop(signal) {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal)
          await exited
        },
      })
    })
  })
}
