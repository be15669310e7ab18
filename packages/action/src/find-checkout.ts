import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)

/** A checkout that holds the commit, or why none could be used. */
export type CheckoutLookup = { readonly repoDir: string } | { readonly reason: string }

function firstLine(error: unknown): string {
  const stderr = (error as { stderr?: unknown }).stderr
  const text = typeof stderr === 'string' && stderr.trim() !== '' ? stderr.trim() : String(error)
  return text.split('\n')[0] ?? text
}

/**
 * Looks for the repository that holds commit `sha` in its object database,
 * starting at `workspace` (where actions/checkout puts it, shallow or not).
 * Returns its top-level folder, or the reason it cannot be used (no checkout,
 * git missing, the commit is not there).
 */
export async function findCheckout(
  workspace: string,
  sha: string,
  signal?: AbortSignal,
): Promise<CheckoutLookup> {
  let repoDir: string
  try {
    const { stdout } = await execFileAsync(
      'git',
      ['-C', workspace, 'rev-parse', '--show-toplevel'],
      { signal },
    )
    repoDir = stdout.trim()
  } catch (error) {
    return { reason: `no git checkout in ${workspace} (${firstLine(error)})` }
  }
  try {
    await execFileAsync('git', ['-C', repoDir, 'cat-file', '-e', `${sha}^{commit}`], { signal })
    return { repoDir }
  } catch {
    return { reason: `the checkout in ${repoDir} does not hold commit ${sha}` }
  }
}
