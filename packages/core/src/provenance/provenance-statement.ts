/**
 * The provenance statement packwright writes beside a package: an in-toto
 * Statement v1 whose predicate is SLSA Provenance v1. Only the fields
 * packwright fills are typed here.
 *
 * @module
 */

/** `_type` of an in-toto Statement, version 1. */
export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1'

/** `predicateType` of SLSA Provenance, version 1. */
export const SLSA_PROVENANCE_PREDICATE_TYPE = 'https://slsa.dev/provenance/v1'

/**
 * `buildType` of a packwright package: `packwright generate` run on the source
 * and options in `externalParameters` gives the same bytes again (see
 * docs/provenance.md for the parameters and how to repeat the build).
 */
export const PACKWRIGHT_BUILD_TYPE = 'https://packwright.dev/generate/v1'

/** `builder.id` of a package made by the command line, on a machine nobody vouches for. */
export const PACKWRIGHT_CLI_BUILDER_ID = 'https://packwright.dev/builders/cli/v1'

/** `builder.id` of a package made by the packwright GitHub Action in a workflow run. */
export const PACKWRIGHT_ACTION_BUILDER_ID = 'https://packwright.dev/builders/github-action/v1'

/** A digest set: algorithm name to lowercase hex. */
export type DigestSet = Readonly<Record<string, string>>

/** An in-toto ResourceDescriptor, as packwright fills it. */
export interface ProvenanceResourceDescriptor {
  readonly uri?: string
  readonly digest?: DigestSet
  readonly name?: string
  readonly annotations?: Readonly<Record<string, string>>
}

/** `externalParameters`: what the caller chose, everything that changes the package bytes. */
export interface PackwrightExternalParameters {
  /** The source spec exactly as given (`github:…`, `git:…`, a path). */
  readonly source: string
  /** `auto`, `spicepod` or `directory`, as asked. */
  readonly mode: 'auto' | 'spicepod' | 'directory'
  /** Directory packages: the include globs (`["**"]` when none were given). */
  readonly include: readonly string[]
  /** Directory packages: the exclude globs. */
  readonly exclude: readonly string[]
  readonly followSymlinks: boolean
  /** Whether ignore files (`.packwrightignore`, `.cfignore`, `.gitignore`) were applied. */
  readonly ignoreFiles: boolean
  readonly compressionLevel: number
  /** The entry timestamp, only when given; otherwise it follows from the source. */
  readonly sourceDateEpoch?: number
}

/** `internalParameters`: what packwright decided from the source. */
export interface PackwrightInternalParameters {
  /** The kind of package made (what `auto` chose). */
  readonly packageMode: 'spicepod' | 'directory'
  /** The timestamp written on every entry, seconds since the epoch. */
  readonly sourceDateEpoch: number
}

export interface ProvenanceStatement {
  readonly _type: typeof IN_TOTO_STATEMENT_TYPE
  readonly subject: readonly [
    { readonly name: string; readonly digest: { readonly sha256: string } },
  ]
  readonly predicateType: typeof SLSA_PROVENANCE_PREDICATE_TYPE
  readonly predicate: {
    readonly buildDefinition: {
      readonly buildType: typeof PACKWRIGHT_BUILD_TYPE
      readonly externalParameters: PackwrightExternalParameters
      readonly internalParameters: PackwrightInternalParameters
      readonly resolvedDependencies?: readonly ProvenanceResourceDescriptor[]
    }
    readonly runDetails: {
      readonly builder: {
        readonly id: string
        readonly version: { readonly packwright: string }
      }
      readonly metadata?: { readonly invocationId: string }
    }
  }
}
