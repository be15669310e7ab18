/** A command line that cannot be run as written (exit code 2). */
export class UsageError extends Error {
  /** The command whose line it is (`generate`…), when known: the hint points at its help. */
  readonly command: string | undefined

  constructor(message: string, command?: string) {
    super(message)
    this.name = 'UsageError'
    this.command = command
  }
}
