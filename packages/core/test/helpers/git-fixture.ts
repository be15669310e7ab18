import { execFile } from 'node:child_process'
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** One file of a fixture tree: text or bytes, optionally executable, or a symlink. */
export type GitFixtureFile =
  | string
  | Buffer
  | { readonly content: string | Buffer; readonly executable?: boolean }
  | { readonly symlink: string }

export interface GitFixture {
  /** The repository's working-tree folder. */
  readonly dir: string
  /** Runs git in the repository and returns its trimmed stdout. */
  git(args: readonly string[], env?: Readonly<Record<string, string>>): Promise<string>
  /** Writes files into the working tree (creating folders as needed). */
  write(files: Readonly<Record<string, GitFixtureFile>>): Promise<void>
  /** Stages everything and commits with a fixed committer date; returns the commit SHA. */
  commit(message: string, date: string): Promise<string>
  /** Deletes the repository. */
  remove(): Promise<void>
}

/**
 * A real git repository in a temp folder, configured so commits are
 * reproducible (fixed identity, no signing, no hooks, no global config).
 */
export async function createGitFixture(): Promise<GitFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'packwright-git-'))
  const baseEnv = {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Fixture Author',
    GIT_AUTHOR_EMAIL: 'author@example.com',
    GIT_COMMITTER_NAME: 'Fixture Committer',
    GIT_COMMITTER_EMAIL: 'committer@example.com',
  }
  const git = async (
    args: readonly string[],
    env: Readonly<Record<string, string>> = {},
  ): Promise<string> => {
    const { stdout } = await run('git', [...args], {
      cwd: dir,
      env: { ...baseEnv, ...env },
      maxBuffer: 64 * 1024 * 1024,
    })
    return stdout.trim()
  }
  await git(['init', '-q', '-b', 'main'])
  await git(['config', 'user.name', 'Fixture Committer'])
  await git(['config', 'user.email', 'committer@example.com'])
  await git(['config', 'commit.gpgsign', 'false'])
  await git(['config', 'core.autocrlf', 'false'])
  await git(['config', 'core.fileMode', 'true'])
  return {
    dir,
    git,
    async write(files) {
      for (const [path, file] of Object.entries(files)) {
        const full = join(dir, path)
        await mkdir(dirname(full), { recursive: true })
        if (typeof file === 'object' && 'symlink' in file) {
          await rm(full, { force: true })
          await symlink(file.symlink, full)
          continue
        }
        const content = typeof file === 'string' || Buffer.isBuffer(file) ? file : file.content
        await writeFile(full, content)
        const executable = typeof file === 'object' && 'content' in file && file.executable === true
        await chmod(full, executable ? 0o755 : 0o644)
      }
    },
    async commit(message, date) {
      await git(['add', '-A'])
      await git(['commit', '-q', '--no-verify', '--allow-empty', '-m', message], {
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
      })
      return git(['rev-parse', 'HEAD'])
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  }
}
