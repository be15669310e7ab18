import { findZipPathProblem } from '../zip/zip-path.js'

/** How a link is written in a manifest, which decides the prefixes that are stripped. */
export type SpicepodLinkStyle = 'file' | 'ref' | 'sql_ref' | 'dependency'

/**
 * A link turned into a clean relative path, or why it cannot be one. `fromRoot`:
 * the link started with `/`, so it is relative to the package root rather than
 * to its manifest's folder.
 */
export type NormalizedLink =
  | { readonly ok: true; readonly path: string; readonly fromRoot: boolean }
  | { readonly ok: false; readonly reason: string }

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/

/**
 * Turns a manifest link into a clean relative path with Spice's rules:
 * `file:` links lose `file:`, one `//` and one `./`; `ref` and `sql_ref` lose
 * one `./` (Spice rejects it; its docs use it); a leading `/` means the package
 * root; one trailing `/` is dropped. Empty, `.` and `..` segments, control
 * characters and backslashes are refused: nothing may leave the package root.
 */
export function normalizeSpicepodLink(raw: string, style: SpicepodLinkStyle): NormalizedLink {
  let path = raw
  if (style === 'file') {
    path = path.slice('file:'.length)
    if (path.startsWith('//')) path = path.slice(2)
  }
  if (path.startsWith('./')) path = path.slice(2)
  const fromRoot = path.startsWith('/')
  if (fromRoot) path = path.slice(1)
  if (path.endsWith('/')) path = path.slice(0, -1)
  if (path === '')
    return { ok: false, reason: 'names no path (it is empty or the package root itself)' }
  if (CONTROL.test(path)) return { ok: false, reason: 'contains a control character' }
  const segments = path.split('/')
  if (segments.includes('..')) {
    return { ok: false, reason: 'contains a `..` segment, which would leave the package root' }
  }
  if (segments.includes('')) return { ok: false, reason: 'contains an empty path segment' }
  if (segments.includes('.')) return { ok: false, reason: 'contains a `.` segment' }
  const problem = findZipPathProblem(path)
  if (problem !== undefined) return { ok: false, reason: problem.reason }
  return { ok: true, path, fromRoot }
}

/**
 * True when the last segment of `path` has an extension (non-empty text after
 * its last `.`), which is how Spice tells files from folders.
 */
export function hasExtension(path: string): boolean {
  const last = path.slice(path.lastIndexOf('/') + 1)
  const dot = last.lastIndexOf('.')
  return dot >= 0 && dot < last.length - 1
}
