import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)

let cached: Promise<string> | undefined

/**
 * Path of a Node 24 binary (the runtime of `runs.using: node24`), fetched once
 * through `npx node@24` and then run directly, so processes started with it
 * can be stopped by their own id.
 */
export function resolveNode24(): Promise<string> {
  cached ??= execFileAsync('npx', ['-y', 'node@24', '-p', 'process.execPath'], {
    timeout: 120_000,
  }).then(({ stdout }) => {
    const path = stdout.trim().split('\n').at(-1) ?? ''
    if (!path.startsWith('/')) throw new Error(`npx node@24 did not print a path: ${stdout}`)
    return path
  })
  return cached
}
