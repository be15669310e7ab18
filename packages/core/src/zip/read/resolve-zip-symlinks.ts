import { type NameTreeCursor, type NameTreePosition, ZipNameTree } from './zip-name-tree.js'

/** Most symlinks followed while resolving one link (Linux's limit). */
export const MAX_SYMLINK_HOPS = 40
/** Most target components walked while resolving one link, those of the links it goes through included. */
export const MAX_SYMLINK_RESOLUTION_STEPS = 4096

/** Why a symlink cannot stay inside the archive. */
export type SymlinkFailure =
  /** Its target, or that of the link `through` it resolves through, is empty or absolute. */
  | { readonly kind: 'bad-target'; readonly problem: string; readonly through?: string }
  | { readonly kind: 'above-root'; readonly throughLinks: boolean }
  | { readonly kind: 'loop' }
  | { readonly kind: 'too-many-steps' }

interface Link {
  readonly name: string
  readonly target: string
  state: 'new' | 'resolving' | Resolution
}

type Resolution =
  | {
      readonly ok: true
      /** Where the link leads. */
      readonly position: NameTreePosition<Link>
      /** Links followed and components walked to get there, counted as an inline walk would. */
      readonly hops: number
      readonly steps: number
    }
  | { readonly ok: false; readonly failure: SymlinkFailure }

/** One link's walk along its target, paused while a link it meets is resolved. */
interface Walk {
  readonly link: Link
  readonly cursor: NameTreeCursor<Link>
  /** Where the next component of the target starts. */
  next: number
  hops: number
  steps: number
  waitingFor: Link | undefined
}

const DOT = 0x2e

/**
 * Resolves every symlink of an archive inside the archive's root, following
 * the links it meets to other symlinks of the archive, and returns why each
 * one that cannot stay inside fails: an empty or absolute target, a climb
 * above the root, a loop (more than {@link MAX_SYMLINK_HOPS} links followed),
 * or more than {@link MAX_SYMLINK_RESOLUTION_STEPS} components walked. Targets
 * are split on `/` and `\`, so a target that would escape on either kind of
 * system fails. A link's own folder is taken as written; folders are not
 * required to exist (a dangling link inside the root is fine).
 *
 * Time and memory are linear in the total length of the link names and
 * targets: names go into a path-compressed tree (at most 2n + 1 folders for n
 * links, whatever their depth), each target is walked once, one component at
 * a time, and a link met on the way is resolved once and its end point, hop
 * count and step count reused wherever it is met again. The counts add up
 * exactly as if each link met were expanded inline, so the limits judge as an
 * inline walk would. Walks are kept on an explicit stack, so a long chain of
 * links cannot overflow the call stack.
 *
 * @param links symlink entry name → target
 * @returns entry name → failure, for the links that fail only
 */
export function resolveZipSymlinks(
  links: ReadonlyMap<string, string>,
): Map<string, SymlinkFailure> {
  const tree = new ZipNameTree<Link>()
  const all: Link[] = []
  for (const [name, target] of links) {
    const link: Link = { name, target, state: 'new' }
    all.push(link)
    // A name with an empty, `.` or `..` segment or a `\` can never be reached
    // by walking a target, which never steps into such a segment.
    if (isWalkable(name)) tree.insert(name, link)
  }
  const failures = new Map<string, SymlinkFailure>()
  for (const link of all) {
    const resolution = resolve(link, tree)
    if (!resolution.ok) failures.set(link.name, resolution.failure)
  }
  return failures
}

function resolve(start: Link, tree: ZipNameTree<Link>): Resolution {
  if (typeof start.state === 'object') return start.state
  const stack: Walk[] = [beginWalk(start, tree)]
  while (stack.length > 0) {
    const walk = stack[stack.length - 1] as Walk
    const outcome = advance(walk)
    if ('ok' in outcome) {
      walk.link.state = outcome
      stack.pop()
    } else {
      walk.waitingFor = outcome
      outcome.state = 'resolving'
      stack.push(beginWalk(outcome, tree))
    }
  }
  return resolutionOf(start)
}

function resolutionOf(link: Link): Resolution {
  if (typeof link.state !== 'object') throw new Error(`symlink ${link.name} is not resolved yet`)
  return link.state
}

function beginWalk(link: Link, tree: ZipNameTree<Link>): Walk {
  const cursor = tree.cursor()
  // The link's own folder, segment by segment as written (empty ones too).
  const name = link.name
  const folderEnd = name.lastIndexOf('/')
  for (let at = 0; folderEnd >= 0 && at <= folderEnd;) {
    const end = Math.min(folderEnd, endOfSegment(name, at, false))
    const segment = name.slice(at, end)
    if (cursor.detached || !isWalkable(segment)) cursor.enterUnknown()
    else cursor.enter(segment)
    at = end + 1
  }
  return { link, cursor, next: 0, hops: 0, steps: 0, waitingFor: undefined }
}

/**
 * Walks on until the link is resolved (returns its resolution) or meets a
 * link not resolved yet (returns it, to be resolved first).
 */
function advance(walk: Walk): Resolution | Link {
  const { link, cursor } = walk
  const target = link.target
  if (walk.waitingFor !== undefined) {
    const failure = follow(walk, walk.waitingFor)
    walk.waitingFor = undefined
    if (failure !== undefined) return { ok: false, failure }
  } else if (walk.next === 0) {
    const problem = findTargetProblem(target)
    if (problem !== undefined) return { ok: false, failure: { kind: 'bad-target', problem } }
  }
  const backslashes = target.includes('\\')
  while (walk.next <= target.length) {
    const at = walk.next
    const end = endOfSegment(target, at, backslashes)
    walk.next = end + 1
    if (++walk.steps > MAX_SYMLINK_RESOLUTION_STEPS)
      return { ok: false, failure: { kind: 'too-many-steps' } }
    const length = end - at
    if (length === 0 || (length === 1 && target.charCodeAt(at) === DOT)) continue
    if (length === 2 && target.charCodeAt(at) === DOT && target.charCodeAt(at + 1) === DOT) {
      if (!cursor.leave())
        return { ok: false, failure: { kind: 'above-root', throughLinks: walk.hops > 0 } }
      continue
    }
    if (cursor.detached) {
      cursor.enterUnknown()
      continue
    }
    const met = cursor.enter(target.slice(at, end))
    if (met === undefined) continue
    if (met.state === 'new') return met
    if (met.state === 'resolving') return { ok: false, failure: { kind: 'loop' } }
    const failure = follow(walk, met)
    if (failure !== undefined) return { ok: false, failure }
  }
  return { ok: true, position: walk.cursor.save(), hops: walk.hops, steps: walk.steps }
}

/** Continues `walk` from where the resolved link `met` leads; returns why it fails, if it does. */
function follow(walk: Walk, met: Link): SymlinkFailure | undefined {
  const resolution = resolutionOf(met)
  if (!resolution.ok) return throughLink(resolution.failure, met.name)
  walk.hops += 1 + resolution.hops
  if (walk.hops > MAX_SYMLINK_HOPS) return { kind: 'loop' }
  walk.steps += resolution.steps
  if (walk.steps > MAX_SYMLINK_RESOLUTION_STEPS) return { kind: 'too-many-steps' }
  walk.cursor.restore(resolution.position)
  return undefined
}

/** A failure of link `name` as seen by a link that resolves through it. */
function throughLink(failure: SymlinkFailure, name: string): SymlinkFailure {
  switch (failure.kind) {
    case 'bad-target':
      return failure.through === undefined ? { ...failure, through: name } : failure
    case 'above-root':
      return { kind: 'above-root', throughLinks: true }
    case 'loop':
    case 'too-many-steps':
      return failure
  }
}

function findTargetProblem(target: string): string | undefined {
  if (target === '') return 'has an empty target'
  if (/^[\\/]/.test(target) || /^[A-Za-z]:/.test(target)) return 'has an absolute target'
  return undefined
}

/** Whether every segment of `name` is one a target can step into. */
function isWalkable(name: string): boolean {
  return !/(?:^|\/)\.{0,2}(?:\/|$)|\\/.test(name)
}

/** Where the segment starting at `start` ends: at the next `/` (or `\\` too), or at the end. */
function endOfSegment(text: string, start: number, backslashes: boolean): number {
  // Scanned inline: segments are mostly short, and a call to indexOf per
  // segment costs more than the few characters it looks at.
  for (let at = start; at < text.length; at++) {
    const code = text.charCodeAt(at)
    if (code === 0x2f || (backslashes && code === 0x5c)) return at
  }
  return text.length
}
