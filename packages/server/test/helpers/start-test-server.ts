import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { hashToken, type Scope } from '../../src/auth/access-token.js'
import { type CreateServerOptions, createServer } from '../../src/create-server.js'
import { openEmbeddedStorage } from '../../src/storage/open-embedded-storage.js'
import type { ServerStorage } from '../../src/storage/server-storage.js'

export interface TestServer {
  readonly app: FastifyInstance
  readonly storage: ServerStorage
  readonly dataFolder: string
  /** Headers carrying a token that holds exactly `scope`. */
  as(scope: Scope): { authorization: string }
  close(): Promise<void>
}

/** The plain-text tokens of the test server, one per scope. */
export const TEST_TOKENS: Readonly<Record<Scope, string>> = {
  read: 'read-token-0f9c2',
  write: 'write-token-7a1d4',
  admin: 'admin-token-3e8b6',
}

/** A real server over real embedded storage in a temp folder, for `inject()`. */
export async function startTestServer(
  options: Partial<Omit<CreateServerOptions, 'storage' | 'tokens'>> = {},
): Promise<TestServer> {
  const dataFolder = await mkdtemp(join(tmpdir(), 'packwright-server-'))
  const storage = await openEmbeddedStorage(dataFolder)
  const app = await createServer({
    storage,
    tokens: (Object.keys(TEST_TOKENS) as Scope[]).map((scope) => ({
      name: scope,
      sha256: hashToken(TEST_TOKENS[scope]),
      scopes: [scope],
    })),
    externalUrl: 'https://api.example.org',
    now: () => new Date('2026-03-01T12:00:00.123Z'),
    uploadFolder: join(dataFolder, 'tmp', 'uploads'),
    ...options,
  })
  return {
    app,
    storage,
    dataFolder,
    as: (scope) => ({ authorization: `bearer ${TEST_TOKENS[scope]}` }),
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
