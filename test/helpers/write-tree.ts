import { chmod, mkdir, symlink, utimes, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'

export type TreeFile =
  string | Buffer | { content: string | Buffer; executable: true } | { symlink: string }

/**
 * Writes `files` under `root` in the given path order (or reversed), stamping
 * every file with `mtime`: two calls with different orders and times must
 * still package to the same bytes.
 */
export async function writeTree(
  root: string,
  files: Readonly<Record<string, TreeFile>>,
  options: { reverse?: boolean; mtime?: Date } = {},
): Promise<void> {
  const paths = Object.keys(files)
  if (options.reverse === true) paths.reverse()
  for (const path of paths) {
    const file = files[path] as TreeFile
    const target = join(root, path)
    await mkdir(dirname(target), { recursive: true })
    if (typeof file === 'object' && 'symlink' in file) {
      await symlink(file.symlink, target)
      continue
    }
    const executable = typeof file === 'object' && !Buffer.isBuffer(file)
    await writeFile(target, executable ? file.content : file)
    if (executable) await chmod(target, 0o755)
    if (options.mtime !== undefined) await utimes(target, options.mtime, options.mtime)
  }
}
