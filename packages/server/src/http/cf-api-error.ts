/**
 * An error answered to an HTTP client in Cloud Foundry's v3 envelope:
 * `{"errors":[{"detail","title","code"}]}`. Route handlers throw it; the error
 * handler turns it into the response. It never carries a stack to the client.
 */
export class CfApiError extends Error {
  constructor(
    readonly status: number,
    /** `CF-` + the error's name in Cloud Controller's catalogue. */
    readonly title: string,
    /** Cloud Controller's numeric id of the error. */
    readonly code: number,
    readonly detail: string,
  ) {
    super(detail)
    this.name = 'CfApiError'
  }

  toEnvelope(): CfErrorEnvelope {
    return { errors: [{ detail: this.detail, title: this.title, code: this.code }] }
  }
}

export interface CfErrorEnvelope {
  readonly errors: readonly {
    readonly detail: string
    readonly title: string
    readonly code: number
  }[]
}
