import { type GlobNode, SLASH } from './glob-syntax.js'

/** One pattern of an automaton; its index in the list is its tag. */
export interface GlobAutomatonPattern {
  readonly node: GlobNode
  /** Matches only when the path is tested as a folder (gitignore's trailing `/`). */
  readonly directoryOnly?: boolean
}

/**
 * Several globs matched together in one left-to-right pass over a path, with
 * no backtracking: the time is linear in the path's length (times the
 * patterns' size when a step is met for the first time; steps are then cached).
 * Patterns are matched in groups of {@link GROUP_SIZE}, so that thousands of
 * wildcard rules cost time in proportion to their number, not memory beyond
 * a fixed cache per group.
 */
export interface GlobAutomaton {
  /** The index of the last pattern that matches the whole of `path`, or -1. */
  lastMatch(path: string, isDirectory: boolean): number
  /** True when any pattern matches `path` or one of its ancestor folders (`a` and `a/b` for `a/b/c`). */
  matchesSelfOrAncestor(path: string): boolean
}

// NFA operations (Thompson's construction).
const CHAR = 0
const NOT_SLASH = 1
const ANY = 2
const CLASS = 3
const SPLIT = 4
const ACCEPT = 5

/** Patterns per automaton. */
const GROUP_SIZE = 256
/** Cached automaton steps a group keeps before its cache is dropped and rebuilt. */
const MAX_CACHED_STATES = 2048
/** NFA state ids a group's cached steps hold before its cache is dropped (1 MiB: bounds memory). */
const MAX_CACHED_IDS = 1 << 18

interface ClassTest {
  readonly negated: boolean
  readonly ranges: readonly (readonly [number, number])[]
}

/** A set of NFA states reached after some input, with what it accepts. */
interface DfaState {
  /** The consuming NFA states, sorted. */
  readonly states: Int32Array
  /** Highest tag accepted here, any pattern / only patterns that are not directory-only. */
  readonly best: number
  readonly bestForFiles: number
  readonly next: Map<number, DfaState>
}

class Nfa {
  readonly op: number[] = []
  readonly arg: number[] = []
  readonly out: number[] = []
  readonly out2: number[] = []
  readonly classes: ClassTest[] = []

  add(op: number, arg: number, out: number, out2 = -1): number {
    this.op.push(op)
    this.arg.push(arg)
    this.out.push(out)
    this.out2.push(out2)
    return this.op.length - 1
  }

  /** Compiles `node` so that it continues to state `next`; returns its start state. */
  compile(node: GlobNode, next: number): number {
    switch (node.kind) {
      case 'literal':
        return this.add(CHAR, node.codePoint, next)
      case 'any-char':
        return this.add(NOT_SLASH, 0, next)
      case 'class':
        this.classes.push({ negated: node.negated, ranges: node.ranges })
        return this.add(CLASS, this.classes.length - 1, next)
      case 'star':
      case 'any-path': {
        const loop = this.add(SPLIT, 0, -1, next)
        this.out[loop] = this.add(node.kind === 'star' ? NOT_SLASH : ANY, 0, loop)
        return loop
      }
      case 'sequence': {
        let start = next
        for (let index = node.items.length - 1; index >= 0; index--) {
          const item = node.items[index]
          if (item !== undefined) start = this.compile(item, start)
        }
        return start
      }
      case 'choice': {
        const starts = node.options.map((option) => this.compile(option, next))
        let start = starts.pop() ?? next
        while (starts.length > 0) start = this.add(SPLIT, 0, starts.pop() ?? next, start)
        return start
      }
      case 'repeat': {
        if (node.max === 1) return this.add(SPLIT, 0, this.compile(node.item, next), next)
        const loop = this.add(SPLIT, 0, -1, next)
        const body = this.compile(node.item, loop)
        this.out[loop] = body
        return node.min === 0 ? loop : body
      }
    }
  }
}

/** True when an NFA state doing operation `kind` on argument `value` consumes `codePoint`. */
function consumes(kind: number, value: number, classes: readonly ClassTest[], codePoint: number) {
  switch (kind) {
    case CHAR:
      return value === codePoint
    case NOT_SLASH:
      return codePoint !== SLASH
    case ANY:
      return true
    case CLASS: {
      if (codePoint === SLASH) return false
      const test = classes[value]
      if (test === undefined) return false
      const inside = test.ranges.some(([low, high]) => codePoint >= low && codePoint <= high)
      return inside !== test.negated
    }
    default:
      return false
  }
}

function sameStates(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false
  return true
}

/** Compiles `patterns` into one automaton (see {@link GlobAutomaton}). */
export function buildGlobAutomaton(patterns: readonly GlobAutomatonPattern[]): GlobAutomaton {
  const groups: GlobAutomaton[] = []
  for (let first = 0; first < patterns.length; first += GROUP_SIZE) {
    groups.push(buildGroupAutomaton(patterns.slice(first, first + GROUP_SIZE), first))
  }
  return {
    lastMatch(path, isDirectory) {
      // Later groups hold later patterns: the last group that matches has the last match.
      for (let index = groups.length - 1; index >= 0; index--) {
        const match = groups[index]?.lastMatch(path, isDirectory) ?? -1
        if (match >= 0) return match
      }
      return -1
    },
    matchesSelfOrAncestor: (path) => groups.some((group) => group.matchesSelfOrAncestor(path)),
  }
}

/** One automaton for `patterns`, tagged from `firstTag` on. */
function buildGroupAutomaton(
  patterns: readonly GlobAutomatonPattern[],
  firstTag: number,
): GlobAutomaton {
  const nfa = new Nfa()
  const starts = patterns.map((pattern, index) =>
    nfa.compile(pattern.node, nfa.add(ACCEPT, firstTag + index, -1)),
  )
  const directoryOnly = patterns.map((pattern) => pattern.directoryOnly === true)
  const isDirectoryOnly = (tag: number) => directoryOnly[tag - firstTag] === true
  const size = nfa.op.length
  const op = Int32Array.from(nfa.op)
  const arg = Int32Array.from(nfa.arg)
  const out = Int32Array.from(nfa.out)
  const out2 = Int32Array.from(nfa.out2)
  const classes = nfa.classes
  const mark = new Int32Array(size)
  const stack = new Int32Array(size)
  let generation = 0

  // Steps met so far, by a hash of their state set (collisions are told apart by comparing sets).
  let cache = new Map<number, DfaState[]>()
  let cachedStates = 0
  let cachedIds = 0

  /** The state reached from `seeds` by following every SPLIT. */
  const close = (seeds: readonly number[]): DfaState => {
    generation += 1
    const consuming: number[] = []
    let best = -1
    let bestForFiles = -1
    let top = 0
    // Each state is marked when pushed, so the stack never holds more than every state once.
    const push = (state: number) => {
      if (state < 0 || mark[state] === generation) return
      mark[state] = generation
      stack[top++] = state
    }
    for (const seed of seeds) push(seed)
    while (top > 0) {
      const state = stack[--top] ?? -1
      const kind = op[state]
      if (kind === SPLIT) {
        push(out2[state] ?? -1)
        push(out[state] ?? -1)
      } else if (kind === ACCEPT) {
        const tag = arg[state] ?? -1
        best = Math.max(best, tag)
        if (!isDirectoryOnly(tag)) bestForFiles = Math.max(bestForFiles, tag)
      } else {
        consuming.push(state)
      }
    }
    const states = Int32Array.from(consuming).sort()
    let hash = 0x811c9dc5 ^ best
    for (const state of states) hash = Math.imul(hash ^ state, 0x01000193)
    const bucket = cache.get(hash)
    const cached = bucket?.find(
      (known) =>
        known.best === best &&
        known.bestForFiles === bestForFiles &&
        sameStates(known.states, states),
    )
    if (cached !== undefined) return cached
    if (cachedStates >= MAX_CACHED_STATES || cachedIds + states.length > MAX_CACHED_IDS) {
      cache = new Map()
      cachedStates = 0
      cachedIds = 0
    }
    const created: DfaState = { states, best, bestForFiles, next: new Map() }
    const list = cache.get(hash) ?? []
    list.push(created)
    cache.set(hash, list)
    cachedStates += 1
    cachedIds += states.length
    return created
  }

  let start = close(starts)
  let startCache = cache

  const step = (from: DfaState, codePoint: number): DfaState => {
    const known = from.next.get(codePoint)
    if (known !== undefined) return known
    const seeds: number[] = []
    for (const state of from.states) {
      if (consumes(op[state] ?? -1, arg[state] ?? 0, classes, codePoint)) {
        seeds.push(out[state] ?? -1)
      }
    }
    const reached = close(seeds)
    from.next.set(codePoint, reached)
    return reached
  }

  const initial = (): DfaState => {
    if (startCache !== cache) {
      start = close(starts)
      startCache = cache
    }
    return start
  }

  return {
    lastMatch(path, isDirectory) {
      let state = initial()
      for (let index = 0; index < path.length;) {
        if (state.states.length === 0) return -1
        const codePoint = path.codePointAt(index) ?? 0
        index += codePoint > 0xffff ? 2 : 1
        state = step(state, codePoint)
      }
      return isDirectory ? state.best : state.bestForFiles
    },
    matchesSelfOrAncestor(path) {
      let state = initial()
      for (let index = 0; index < path.length;) {
        const codePoint = path.codePointAt(index) ?? 0
        if (codePoint === SLASH && state.best >= 0) return true
        if (state.states.length === 0) return false
        index += codePoint > 0xffff ? 2 : 1
        state = step(state, codePoint)
      }
      return state.best >= 0
    },
  }
}
