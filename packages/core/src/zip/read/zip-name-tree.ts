const SLASH = 0x2f

/**
 * A folder the tree stores: the root, a stored name, or a folder where stored
 * names branch. Folders in between are not stored (the tree is path
 * compressed), so a tree of n names holds at most 2n + 1 folders whatever
 * their depth.
 */
export interface NameTreeFolder<T> {
  /** Full path, segments joined with `/`; `''` for the root. */
  path: string
  parent: NameTreeFolder<T> | undefined
  /** Stored folders below this one, by the first segment under it. */
  readonly children: Map<string, NameTreeFolder<T>>
  value: T | undefined
}

/** A place in the tree, saved to be returned to later. */
export interface NameTreePosition<T> {
  readonly folder: NameTreeFolder<T>
  readonly end: number
  readonly below: number
}

/**
 * A tree of `/`-separated names (the entry names of a zip's symlinks), walked
 * one segment at a time by {@link NameTreeCursor}s. Inserting a name costs
 * time linear in its length, and so does each step of a walk in the length
 * of its segment.
 */
export class ZipNameTree<T> {
  readonly root: NameTreeFolder<T> = {
    path: '',
    parent: undefined,
    children: new Map(),
    value: undefined,
  }

  /**
   * Stores `value` under `name` and returns its folder, which stays the same
   * whatever is inserted later. Cursors only step into segments that are not
   * empty, `.` or `..`, so names with such segments are stored but never
   * reached by a walk.
   */
  insert(name: string, value: T): NameTreeFolder<T> {
    let folder = this.root
    let start = 0
    for (;;) {
      const segmentEnd = segmentEndAt(name, start)
      const key = name.slice(start, segmentEnd)
      const child = folder.children.get(key)
      if (child === undefined) {
        const leaf = { path: name, parent: folder, children: new Map(), value }
        folder.children.set(key, leaf)
        return leaf
      }
      const common = sharedFolderEnd(child.path, name, start, segmentEnd)
      if (common < child.path.length) {
        // Split the edge: a new folder where the two paths part.
        const split: NameTreeFolder<T> = {
          path: name.slice(0, common),
          parent: folder,
          children: new Map(),
          value: undefined,
        }
        folder.children.set(key, split)
        split.children.set(
          child.path.slice(common + 1, segmentEndAt(child.path, common + 1)),
          child,
        )
        child.parent = split
        if (common === name.length) {
          split.value = value
          return split
        }
        const rest = common + 1
        const leaf = { path: name, parent: split, children: new Map(), value }
        split.children.set(name.slice(rest, segmentEndAt(name, rest)), leaf)
        return leaf
      }
      if (common === name.length) {
        child.value = value
        return child
      }
      folder = child
      start = common + 1
    }
  }

  /**
   * A value stored strictly below `folder` (found by descending first
   * children: folders without a value always have two or more), or undefined
   * when nothing is stored below it.
   */
  valueBelow(folder: NameTreeFolder<T>): T | undefined {
    let below = folder.children.values().next().value
    while (below !== undefined && below.value === undefined)
      below = below.children.values().next().value
    return below?.value
  }

  cursor(): NameTreeCursor<T> {
    return new NameTreeCursor(this.root)
  }
}

/**
 * A walker over a {@link ZipNameTree}: at a stored folder, inside the edge
 * above one (`end` characters of its path), or `below` segments under such a
 * place where no stored name continues.
 */
export class NameTreeCursor<T> {
  #folder: NameTreeFolder<T>
  #end = 0
  #below = 0

  constructor(root: NameTreeFolder<T>) {
    this.#folder = root
  }

  /** True when no stored name continues the current path (a step down needs no lookup). */
  get detached(): boolean {
    return this.#below > 0
  }

  /** Steps into a segment no stored name can continue with. */
  enterUnknown(): void {
    this.#below++
  }

  /**
   * Steps into `segment` (not empty, not `.` or `..`, without `/`) and
   * returns the value stored under the new path, if any.
   */
  enter(segment: string): T | undefined {
    if (this.#below > 0) {
      this.#below++
      return undefined
    }
    const folder = this.#folder
    const start = this.#end === 0 ? 0 : this.#end + 1
    if (this.#end === folder.path.length) {
      const child = folder.children.get(segment)
      if (child === undefined) {
        this.#below = 1
        return undefined
      }
      this.#folder = child
    } else if (!continuesWith(folder.path, start, segment)) {
      this.#below = 1
      return undefined
    }
    this.#end = start + segment.length
    return this.#end === this.#folder.path.length ? this.#folder.value : undefined
  }

  /** Steps up to the parent folder; false (and no move) at the root. */
  leave(): boolean {
    if (this.#below > 0) {
      this.#below--
      return true
    }
    if (this.#end === 0) return false
    const cut = this.#folder.path.lastIndexOf('/', this.#end - 1)
    this.#end = cut < 0 ? 0 : cut
    const parent = this.#folder.parent
    if (parent !== undefined && this.#end <= parent.path.length) this.#folder = parent
    return true
  }

  save(): NameTreePosition<T> {
    return { folder: this.#folder, end: this.#end, below: this.#below }
  }

  restore(position: NameTreePosition<T>): void {
    this.#folder = position.folder
    this.#end = position.end
    this.#below = position.below
  }
}

function segmentEndAt(path: string, start: number): number {
  const slash = path.indexOf('/', start)
  return slash < 0 ? path.length : slash
}

/** Whether `path` holds `segment` as a whole segment starting at `start`. */
function continuesWith(path: string, start: number, segment: string): boolean {
  const end = start + segment.length
  return (
    (end === path.length || path.charCodeAt(end) === SLASH) && path.slice(start, end) === segment
  )
}

/**
 * Length of the longest folder path `a` and `b` share, given that they share
 * the segment ending at `firstSegmentEnd`. Compares only past `start`.
 */
function sharedFolderEnd(a: string, b: string, start: number, firstSegmentEnd: number): number {
  // Slices compared with `===` run at memcmp speed; `startsWith` is far slower.
  if (
    (b.length === a.length || b.charCodeAt(a.length) === SLASH) &&
    b.slice(start, a.length) === a.slice(start)
  )
    return a.length
  let at = firstSegmentEnd
  const limit = Math.min(a.length, b.length)
  while (at < limit && a.charCodeAt(at) === b.charCodeAt(at)) at++
  const aEnds = at === a.length || a.charCodeAt(at) === SLASH
  const bEnds = at === b.length || b.charCodeAt(at) === SLASH
  if (aEnds && bEnds) return at
  return b.lastIndexOf('/', at - 1)
}
