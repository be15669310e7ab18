import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type CreateServerOptions,
  type ServerStorage,
  createServer,
  hashToken,
  openEmbeddedStorage,
} from '@packwright/server'

export const WRITE_TOKEN = 'client-test-write-4c1e9'
export const READ_TOKEN = 'client-test-read-8d2f0'

export interface RealServer {
  readonly url: string
  readonly storage: ServerStorage
  readonly dataFolder: string
  close(): Promise<void>
}

/** The real package server over real embedded storage, listening on 127.0.0.1. */
export async function startRealServer(
  options: Partial<Omit<CreateServerOptions, 'storage' | 'tokens'>> = {},
): Promise<RealServer> {
  const dataFolder = await mkdtemp(join(tmpdir(), 'packwright-client-server-'))
  const storage = await openEmbeddedStorage(dataFolder)
  const app = await createServer({
    storage,
    tokens: [
      { name: 'writer', sha256: hashToken(WRITE_TOKEN), scopes: ['write'] },
      { name: 'reader', sha256: hashToken(READ_TOKEN), scopes: ['read'] },
    ],
    uploadFolder: join(dataFolder, 'tmp', 'uploads'),
    ...options,
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    storage,
    dataFolder,
    async close() {
      try {
        await app.close()
        await storage.close()
      } finally {
        await rm(dataFolder, { recursive: true, force: true })
      }
    },
  }
}
