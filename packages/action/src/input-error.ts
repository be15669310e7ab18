/**
 * Every problem found in the action's inputs, reported together so that one
 * run shows everything that needs fixing.
 */
export class InputError extends Error {
  readonly code = 'ACTION_INPUT_INVALID'
  /** One sentence per bad input, each naming the input. */
  readonly problems: readonly string[]

  constructor(problems: readonly string[]) {
    const noun = problems.length === 1 ? 'input' : 'inputs'
    super(`Invalid ${noun}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`)
    this.name = 'InputError'
    this.problems = problems
  }
}
