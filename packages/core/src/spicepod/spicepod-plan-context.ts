import { type PlannedSpicepodEntries } from './planned-spicepod-entries.js'
import { type SpicepodSource } from './spicepod-source.js'

/** Limits on the manifest and component YAML files that are parsed. */
export interface SpicepodYamlLimits {
  /** Largest file parsed, in bytes. */
  readonly maxBytes: number
  /** Most alias expansions per document; the parser's default when undefined. */
  readonly maxAliasCount: number | undefined
}

/** What every step of planning one spicepod package shares. */
export interface SpicepodPlanContext {
  /** The source, addressed by package path. */
  readonly source: SpicepodSource
  /** The files planned so far; each step adds to it. */
  readonly planned: PlannedSpicepodEntries
  readonly yamlLimits: SpicepodYamlLimits
  readonly signal: AbortSignal | undefined
}
