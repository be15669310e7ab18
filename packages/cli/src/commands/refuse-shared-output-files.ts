import { UsageError } from '../usage-error.js'

/** The files one `generate` writes, as absolute paths. */
export interface OutputFiles {
  readonly out: string
  readonly manifest?: string | undefined
  readonly provenance?: string | undefined
}

/** What each extra output is called when it sits beside the zip. */
const SUFFIXES = { manifest: '.manifest.json', provenance: '.intoto.json' } as const

/**
 * Refuses two outputs that name one file, before anything is packaged: the
 * second write would replace the first, and the user would lose the zip or
 * the manifest without a word.
 */
export function refuseSharedOutputFiles(files: OutputFiles, command: string): void {
  const taken: [string, string][] = [['out', files.out]]
  for (const option of ['manifest', 'provenance'] as const) {
    const path = files[option]
    if (path === undefined) continue
    const clash = taken.find(([, other]) => other === path)
    if (clash !== undefined) {
      throw new UsageError(
        `--${option} names the same file as --${clash[0]} (${JSON.stringify(path)}); give it a file of its own, such as ${JSON.stringify(`${files.out}${SUFFIXES[option]}`)}`,
        command,
      )
    }
    taken.push([option, path])
  }
}
