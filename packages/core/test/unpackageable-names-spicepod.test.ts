import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generatePackage } from '../src/package/generate-package.js'
import { createGitFixture, type GitFixture } from './helpers/git-fixture.js'
import { rejection } from './helpers/rejection.js'
import { UNPACKAGEABLE_NAMES, quotedName } from './helpers/unpackageable-names.js'

// A spicepod folder link (`from: file:data`) packages every file of the
// folder: a name the package cannot hold is reported, never left out.

const POD = 'version: v1\nkind: Spicepod\nname: pod\ndatasets:\n  - from: file:data\n    name: d\n'
const DATE = '2024-05-06T07:08:09Z'

let repo: GitFixture
let commit: string

/** The code for a name: the spicepod's own for names it can read, the reader's for names it cannot. */
const expectedCode = (folder: string) =>
  folder === 'latin1' ? 'SOURCE_PATH_INVALID' : 'SPICEPOD_LINK_INVALID'

beforeAll(async () => {
  // One pod per name class, in a folder that is also committed to git.
  repo = await createGitFixture()
  for (const name of UNPACKAGEABLE_NAMES) {
    const pod = join(repo.dir, name.folder)
    await mkdir(join(pod, 'data'), { recursive: true })
    await writeFile(join(pod, 'spicepod.yaml'), POD)
    await writeFile(join(pod, 'data/ok.csv'), 'a\n1\n')
    await writeFile(Buffer.concat([Buffer.from(`${pod}/data/`), name.bytes]), 'hidden\n')
  }
  commit = await repo.commit('pods', DATE)
})
afterAll(async () => {
  await repo.remove()
})

describe('spicepod folder links', () => {
  it.each(UNPACKAGEABLE_NAMES)(
    'refuses a file whose name holds $label in a linked local folder',
    async (name) => {
      const outFile = join(repo.dir, `${name.folder}.zip`)
      const failure = await rejection(
        generatePackage({ source: join(repo.dir, name.folder, 'spicepod.yaml'), outFile }),
      )
      expect(failure.code).toBe(expectedCode(name.folder))
      expect(failure.message).toContain(quotedName(name, 'data'))
      expect(existsSync(outFile)).toBe(false)
    },
  )

  it.each(UNPACKAGEABLE_NAMES)(
    'refuses a file whose name holds $label in a linked folder of a git commit',
    async (name) => {
      const failure = await rejection(
        generatePackage({
          source: `git:${repo.dir}#${commit}:${name.folder}/spicepod.yaml`,
          outFile: join(repo.dir, `${name.folder}-git.zip`),
        }),
      )
      expect(failure.code).toBe(expectedCode(name.folder))
      expect(failure.message).toContain(quotedName(name, `${name.folder}/data`))
    },
  )
})
