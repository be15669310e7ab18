import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resolveNode24 } from './resolve-node24.js'

/** Azurite's well-known development account (from its README). */
export const AZURITE_ACCOUNT = {
  name: 'devstoreaccount1',
  key: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
} as const

export interface Azurite {
  /** Path-style blob endpoint, e.g. `http://127.0.0.1:41234/devstoreaccount1`. */
  readonly blobEndpoint: string
  stop(): Promise<void>
}

/**
 * Starts Azurite's blob service in memory on a free 127.0.0.1 port, under
 * Node 24 (Azurite 3.37 needs Node 22 or later).
 */
export async function startAzurite(): Promise<Azurite> {
  const node = await resolveNode24()
  const main = createRequire(import.meta.url).resolve('azurite/dist/src/blob/main.js')
  const cwd = await mkdtemp(join(tmpdir(), 'packwright-azurite-'))
  const child = spawn(
    node,
    [
      main,
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      '0',
      '--inMemoryPersistence',
      '--disableTelemetry',
      // @azure/storage-blob 12.34 speaks API version 2026-10-06, newer than Azurite 3.37 knows.
      '--skipApiVersionCheck',
      '--silent',
    ],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve())
    child.once('error', () => resolve())
  })

  let output = ''
  let port: number
  try {
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Azurite did not start:\n${output}`)), 60_000)
      const onData = (chunk: Buffer): void => {
        output += chunk.toString('utf8')
        const match = /successfully listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)
        if (match?.[1] !== undefined) {
          clearTimeout(timer)
          resolve(Number(match[1]))
        }
      }
      child.stdout.on('data', onData)
      child.stderr.on('data', onData)
      child.once('error', reject)
      child.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`Azurite exited with ${code}:\n${output}`))
      })
    })
  } catch (error) {
    // Nobody gets a handle to stop it, so do not leave it running.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
    await rm(cwd, { recursive: true, force: true })
    throw error
  }

  return {
    blobEndpoint: `http://127.0.0.1:${port}/${AZURITE_ACCOUNT.name}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
      await rm(cwd, { recursive: true, force: true })
    },
  }
}
