import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { GitCatFile } from '../../src/source/git-cat-file.js'

export interface FakeGitCatFile {
  readonly catFile: GitCatFile
  /** An empty folder, the reader's repository. */
  readonly repoDir: string
  /** Closes the reader and removes both folders. */
  cleanup(): Promise<void>
}

/**
 * A `GitCatFile` whose `git` is the shell script `script`, found first on the
 * PATH while the reader starts; `files` are written beside the script (it finds
 * them in `$(dirname "$0")`). Without a script no git can be found at all.
 */
export async function catFileWithFakeGit(
  script: string | undefined,
  files: Readonly<Record<string, Uint8Array>> = {},
): Promise<FakeGitCatFile> {
  const bin = await mkdtemp(join(tmpdir(), 'packwright-fake-git-'))
  const repoDir = await mkdtemp(join(tmpdir(), 'packwright-fake-repo-'))
  for (const [name, bytes] of Object.entries(files)) await writeFile(join(bin, name), bytes)
  if (script !== undefined) {
    await writeFile(join(bin, 'git'), `#!/bin/sh\n${script}\n`)
    await chmod(join(bin, 'git'), 0o755)
  }
  const savedPath = process.env.PATH
  process.env.PATH = script === undefined ? bin : `${bin}${delimiter}${savedPath ?? ''}`
  let catFile: GitCatFile
  try {
    catFile = new GitCatFile(repoDir)
  } finally {
    process.env.PATH = savedPath
  }
  return {
    catFile,
    repoDir,
    async cleanup() {
      await catFile.close()
      await rm(bin, { recursive: true, force: true })
      await rm(repoDir, { recursive: true, force: true })
    },
  }
}
