/**
 * The parsed form of a glob, shared by the include/exclude syntax and the
 * gitignore syntax. It describes a regular language over code points, which
 * `buildGlobAutomaton` matches in time linear in the path's length.
 */
export type GlobNode =
  | { readonly kind: 'literal'; readonly codePoint: number }
  /** `?`: one character other than `/`. */
  | { readonly kind: 'any-char' }
  /** `[…]`: one character other than `/`, inside (or, negated, outside) the ranges. */
  | {
      readonly kind: 'class'
      readonly negated: boolean
      readonly ranges: readonly (readonly [number, number])[]
    }
  /** `*`: any run of characters other than `/`. */
  | { readonly kind: 'star' }
  /** A trailing `**`: any run of characters, `/` included. */
  | { readonly kind: 'any-path' }
  | { readonly kind: 'sequence'; readonly items: readonly GlobNode[] }
  | { readonly kind: 'choice'; readonly options: readonly GlobNode[] }
  | {
      readonly kind: 'repeat'
      readonly item: GlobNode
      readonly min: 0 | 1
      readonly max: 1 | 'many'
    }

export const SLASH = 0x2f

/** A malformed pattern; `reason` ends a sentence ("Missing closing \"]\""). */
export class GlobSyntaxError extends Error {
  constructor(readonly reason: string) {
    super(reason)
    this.name = 'GlobSyntaxError'
  }
}

// Nodes are immutable, so the common ones are shared: a long ignore file
// then costs one reference per pattern character, not one object.
const LITERALS = new Map<number, GlobNode>()
export const STAR: GlobNode = Object.freeze({ kind: 'star' })
export const ANY_CHAR: GlobNode = Object.freeze({ kind: 'any-char' })
export const ANY_PATH: GlobNode = Object.freeze({ kind: 'any-path' })

export function literalNode(codePoint: number): GlobNode {
  let node = LITERALS.get(codePoint)
  if (node === undefined) {
    node = Object.freeze({ kind: 'literal', codePoint })
    if (codePoint < 0x3000) LITERALS.set(codePoint, node)
  }
  return node
}

export function literalText(text: string): GlobNode {
  return { kind: 'sequence', items: [...text].map((char) => literalNode(char.codePointAt(0) ?? 0)) }
}

/** `**` followed by `/`: zero or more whole folders (`a/**` + `/b` matches `a/b` and `a/x/y/b`). */
export function folderRunNode(): GlobNode {
  return {
    kind: 'repeat',
    item: { kind: 'sequence', items: [STAR, literalNode(SLASH)] },
    min: 0,
    max: 'many',
  }
}
