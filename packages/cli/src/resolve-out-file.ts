import { stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'

/** The zip's file name when `--out` is not given, or names a folder. */
export const DEFAULT_OUT_NAME = 'package.zip'

/**
 * The absolute path `generate` writes the zip to: `--out` as given, or
 * `package.zip` inside it when it names an existing folder (or ends with `/`),
 * or `package.zip` in the current folder without `--out`.
 */
export async function resolveOutFile(out: string | undefined): Promise<string> {
  if (out === undefined) return resolve(DEFAULT_OUT_NAME)
  const path = resolve(out)
  if (out.endsWith('/') || out.endsWith('\\')) return join(path, DEFAULT_OUT_NAME)
  const stats = await stat(path).catch(() => undefined)
  return stats?.isDirectory() === true ? join(path, DEFAULT_OUT_NAME) : path
}
