import { buildGlobAutomaton, type GlobAutomaton } from './glob-automaton.js'
import { type GitignoreRule, parseGitignoreLine } from './parse-gitignore-line.js'

/** What the rules of one folder say about a path: the last matching rule decides. */
export type GitignoreDecision = 'ignored' | 'unignored' | undefined

/**
 * The rules of the ignore files of one folder, in file order, matched in one
 * left-to-right pass per path (no backtracking, whatever the patterns).
 * Matching ignores case (`*.LOG` ignores `a.log`), as packwright always has:
 * leaving out too much is the safer mistake for files that may hold secrets.
 */
export class GitignoreRuleSet {
  // The text of each rule and whether it negates; the parsed patterns are kept
  // only while the matchers are built, as they weigh far more than the text.
  private readonly lines: string[] = []
  private readonly negated: boolean[] = []
  private matchers: { anchored: Matcher; baseName: Matcher } | undefined

  /** Adds the rules of one ignore file's text, after those already added. */
  add(text: string): void {
    for (const line of text.toLowerCase().split('\n')) {
      const rule = parseGitignoreLine(line)
      if (rule === undefined) continue
      this.lines.push(line)
      this.negated.push(rule.negated)
    }
    this.matchers = undefined
  }

  /** Decides `path` (relative to this folder, no trailing `/`); `isDirectory` for folders. */
  test(path: string, isDirectory: boolean): GitignoreDecision {
    if (this.matchers === undefined) {
      const rules = this.lines.map((line) => parseGitignoreLine(line))
      this.matchers = {
        anchored: createMatcher(rules, true),
        baseName: createMatcher(rules, false),
      }
    }
    const folded = path.toLowerCase()
    const baseName = folded.slice(folded.lastIndexOf('/') + 1)
    const last = Math.max(
      this.matchers.anchored(folded, isDirectory),
      this.matchers.baseName(baseName, isDirectory),
    )
    if (last < 0) return undefined
    return this.negated[last] === true ? 'unignored' : 'ignored'
  }
}

/** The index of the last rule matching the input, or -1. */
type Matcher = (input: string, isDirectory: boolean) => number

/** One automaton over the anchored rules (or the base-name rules), answering with rule indexes. */
function createMatcher(rules: readonly (GitignoreRule | undefined)[], anchored: boolean): Matcher {
  const indexes: number[] = []
  const patterns = []
  for (const [index, rule] of rules.entries()) {
    if (rule === undefined || rule.anchored !== anchored) continue
    indexes.push(index)
    patterns.push({ node: rule.node, directoryOnly: rule.directoryOnly })
  }
  if (patterns.length === 0) return () => -1
  const automaton: GlobAutomaton = buildGlobAutomaton(patterns)
  return (input, isDirectory) => indexes[automaton.lastMatch(input, isDirectory)] ?? -1
}
