import { basename, dirname, isAbsolute, relative, sep } from 'node:path'

/** A root-relative path inside `folder` for an absolute `path`, or undefined when outside. */
function inside(folder: string, path: string): string | undefined {
  const rel = relative(folder, path)
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined
  return rel.split(sep).join('/')
}

/**
 * Which paths of a local folder a packaging run writes itself: the zip, the
 * temp files written beside it (`.<name>.<random>.partial`) and beside other
 * outputs (`<name>.<random>.tmp`), every other output, and the zip's own
 * folder when it lies inside the packaged folder. Packaging any of them would
 * make a second run package the first one's output.
 *
 * @param folder absolute path of the packaged folder
 * @param outFile absolute path of the zip
 * @param otherOutputs absolute paths of other files the run writes (a manifest)
 * @returns a test for root-relative paths, or undefined when nothing written lies inside
 */
export function ownOutputsInside(
  folder: string,
  outFile: string,
  otherOutputs: readonly string[] = [],
): ((path: string) => boolean) | undefined {
  const exact = new Set<string>()
  const prefixes: string[] = []
  const temps: { folder: string; start: string; end: string }[] = []
  for (const [index, output] of [outFile, ...otherOutputs].entries()) {
    const rel = inside(folder, output)
    if (rel === undefined) continue
    exact.add(rel)
    prefixes.push(`${rel}/`)
    const parent = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : ''
    const name = basename(output)
    temps.push(
      index === 0
        ? { folder: parent, start: `.${name}.`, end: '.partial' }
        : { folder: parent, start: `${name}.`, end: '.tmp' },
    )
  }
  const outFolder = inside(folder, dirname(outFile))
  if (outFolder !== undefined) prefixes.push(`${outFolder}/`)
  if (exact.size === 0 && prefixes.length === 0) return undefined
  return (path) => {
    if (exact.has(path) || prefixes.some((prefix) => path.startsWith(prefix))) return true
    const slash = path.lastIndexOf('/')
    const parent = slash < 0 ? '' : path.slice(0, slash)
    const name = path.slice(slash + 1)
    return temps.some(
      (temp) => temp.folder === parent && name.startsWith(temp.start) && name.endsWith(temp.end),
    )
  }
}
