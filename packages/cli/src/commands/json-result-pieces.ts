import type { GeneratedPackage, ResourceEntry } from '@packwright/core'

/** Entries per yielded piece: big enough to keep writes few, small enough to stay a few hundred KB. */
const ENTRIES_PER_PIECE = 1000

/**
 * The machine-readable result (`--json`, `--manifest`) as consecutive pieces of
 * text whose concatenation is exactly `JSON.stringify(toJsonResult(result, contentDigest))`,
 * or with `pretty` its two-space indented form, without ever holding the
 * whole text: a package of 200,000 entries would make a 35 MB string.
 */
export function* jsonResultPieces(
  result: GeneratedPackage,
  pretty: boolean,
  contentDigest: string,
): Generator<string> {
  const head = { sha256: result.sha256, size: result.size, contentDigest }
  const headText = pretty ? JSON.stringify(head, null, 2) : JSON.stringify(head)
  // Reopen the head object just before its closing brace to append "entries".
  const open = headText.slice(0, headText.lastIndexOf(pretty ? '\n}' : '}'))
  if (result.entries.length === 0) {
    yield pretty ? `${open},\n  "entries": []\n}` : `${open},"entries":[]}`
    return
  }
  yield pretty ? `${open},\n  "entries": [\n` : `${open},"entries":[`
  const parts: string[] = []
  for (let index = 0; index < result.entries.length; index++) {
    if (index > 0) parts.push(pretty ? ',\n' : ',')
    parts.push(entryText(result.entries.at(index) as ResourceEntry, pretty))
    if ((index + 1) % ENTRIES_PER_PIECE === 0) {
      yield parts.join('')
      parts.length = 0
    }
  }
  parts.push(pretty ? '\n  ]\n}' : ']}')
  yield parts.join('')
}

/**
 * One entry as `JSON.stringify` writes `{ path, size, mode, sha1, sha256 }`
 * (indented by four more spaces with `pretty`), built directly: the mode and
 * digests never need escaping, the path is quoted by `JSON.stringify`.
 */
function entryText({ path, size, mode, sha1, sha256 }: ResourceEntry, pretty: boolean): string {
  const name = JSON.stringify(path)
  return pretty
    ? `    {\n      "path": ${name},\n      "size": ${size},\n      "mode": "${mode}",\n      "sha1": "${sha1}",\n      "sha256": "${sha256}"\n    }`
    : `{"path":${name},"size":${size},"mode":"${mode}","sha1":"${sha1}","sha256":"${sha256}"}`
}

/** What `--manifest` writes: the indented result and a final newline, in pieces. */
export function* manifestFilePieces(
  result: GeneratedPackage,
  contentDigest: string,
): Generator<string> {
  yield* jsonResultPieces(result, true, contentDigest)
  yield '\n'
}
