/** The parts of Cloud Foundry's v3 resources the client reads. */

export interface CfMetadata {
  readonly labels: Readonly<Record<string, string>>
  readonly annotations: Readonly<Record<string, string>>
}

export interface CfApp {
  readonly guid: string
  readonly name: string
  readonly created_at: string
  readonly metadata: CfMetadata
}

export type CfPackageState =
  'AWAITING_UPLOAD' | 'PROCESSING_UPLOAD' | 'READY' | 'FAILED' | 'COPYING' | 'EXPIRED'

export interface CfPackage {
  readonly guid: string
  readonly type: 'bits' | 'docker'
  readonly state: CfPackageState
  readonly data: {
    readonly checksum?: { readonly type: string; readonly value: string | null }
    readonly error?: string | null
  }
  readonly created_at: string
  readonly updated_at: string
  readonly relationships: { readonly app: { readonly data: { readonly guid: string } } }
  readonly metadata: CfMetadata
}

export interface CfJob {
  readonly guid: string
  readonly operation: string
  readonly state: 'PROCESSING' | 'POLLING' | 'COMPLETE' | 'FAILED'
  readonly errors: readonly { readonly detail: string; readonly code?: number }[]
}

export interface CfList<T> {
  readonly pagination: { readonly total_results: number }
  readonly resources: readonly T[]
}

/** Package states after which nothing changes any more. */
export const FINAL_PACKAGE_STATES: ReadonlySet<CfPackageState> = new Set([
  'READY',
  'FAILED',
  'EXPIRED',
])
