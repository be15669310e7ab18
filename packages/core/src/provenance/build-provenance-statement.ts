import { PackwrightError, quoteInput } from '../errors.js'
import type {
  GeneratedPackage,
  GeneratePackageOptions,
} from '../package/generate-package-options.js'
import { formatSourceSpec } from '../source/format-source-spec.js'
import { parseSourceSpec } from '../source/parse-source-spec.js'
import type { SourceSpec } from '../source/source-spec.js'
import {
  IN_TOTO_STATEMENT_TYPE,
  PACKWRIGHT_BUILD_TYPE,
  SLSA_PROVENANCE_PREDICATE_TYPE,
  type PackwrightExternalParameters,
  type ProvenanceResourceDescriptor,
  type ProvenanceStatement,
} from './provenance-statement.js'
import { sourceDependencyOf } from './source-dependency.js'

/** The packaging options recorded in `externalParameters`: the ones that change the bytes. */
export type ProvenancePackagingOptions = Pick<
  GeneratePackageOptions,
  | 'mode'
  | 'include'
  | 'exclude'
  | 'followSymlinks'
  | 'ignoreFiles'
  | 'compressionLevel'
  | 'sourceDateEpoch'
>

export interface ProvenanceStatementInput {
  /** File name of the package, the statement's subject (no folders): `app-1a2b3c4.zip`. */
  readonly packageName: string
  /** The package `generatePackage` made. */
  readonly pkg: Pick<GeneratedPackage, 'sha256' | 'mode' | 'sourceDateEpoch' | 'sourceCommit'>
  /** The source exactly as given to `generatePackage`. */
  readonly source: string | SourceSpec
  /** The packaging options given to `generatePackage`; defaults are written out. */
  readonly options?: ProvenancePackagingOptions
  /** `runDetails.builder.id`: `PACKWRIGHT_CLI_BUILDER_ID`, `PACKWRIGHT_ACTION_BUILDER_ID` or another URI. */
  readonly builderId: string
  /** The packwright version that made the package (`builder.version.packwright`). */
  readonly packwrightVersion: string
  /**
   * The repository a commit source was read from, with the ref the run was
   * asked to build (`refs/tags/v1.2.0`); without it a `git:` source is known by
   * its commit alone, and a `github:` source by its owner, repository and ref.
   * User names and passwords in the URL are never written.
   */
  readonly repository?: { readonly url: string; readonly ref?: string | undefined }
  /** REST API base of `github:` sources (GitHub Enterprise); the web address follows from it. */
  readonly githubApiBaseUrl?: string
  /** `runDetails.metadata.invocationId`: the run that made the package (a workflow run URL). */
  readonly invocationId?: string
  /** Values that must never be written (tokens); a statement that would hold one is refused. */
  readonly secrets?: readonly (string | undefined)[]
}

const SHA256_HEX = /^[0-9a-f]{64}$/
const GIT_COMMIT = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/

function invalid(field: string, expected: string, actual: string): PackwrightError {
  return new PackwrightError(
    'INVALID_ARGUMENT',
    `Provenance statement: \`${field}\` must be ${expected}, got ${quoteInput(actual)}.`,
    { details: { field, expected } },
  )
}

function checkInput(input: ProvenanceStatementInput): void {
  const name = input.packageName
  if (name === '' || name.includes('/') || name.includes('\\') || CONTROL.test(name)) {
    throw invalid('packageName', 'a file name without folders or control characters', name)
  }
  if (!SHA256_HEX.test(input.pkg.sha256)) {
    throw invalid('pkg.sha256', '64 lowercase hex digits', input.pkg.sha256)
  }
  if (input.pkg.sourceCommit !== undefined && !GIT_COMMIT.test(input.pkg.sourceCommit)) {
    throw invalid('pkg.sourceCommit', 'a full commit SHA in lowercase hex', input.pkg.sourceCommit)
  }
  if (!URL.canParse(input.builderId) || CONTROL.test(input.builderId)) {
    throw invalid('builderId', 'an absolute URI', input.builderId)
  }
  if (input.packwrightVersion === '' || CONTROL.test(input.packwrightVersion)) {
    throw invalid('packwrightVersion', 'a version such as 1.2.0', input.packwrightVersion)
  }
  if (
    input.invocationId !== undefined &&
    (input.invocationId === '' || CONTROL.test(input.invocationId))
  ) {
    throw invalid('invocationId', 'a non-empty identifier of the run', input.invocationId)
  }
}

function externalParametersOf(
  source: string,
  options: ProvenancePackagingOptions,
): PackwrightExternalParameters {
  return {
    source,
    mode: options.mode ?? 'auto',
    include: options.include === undefined ? ['**'] : [...options.include],
    exclude: options.exclude === undefined ? [] : [...options.exclude],
    followSymlinks: options.followSymlinks ?? false,
    ignoreFiles: options.ignoreFiles ?? true,
    compressionLevel: options.compressionLevel ?? 6,
    ...(options.sourceDateEpoch === undefined ? {} : { sourceDateEpoch: options.sourceDateEpoch }),
  }
}

/** Every string in `value` with where it sits (`predicate.buildDefinition.externalParameters.source`). */
function* stringsIn(value: unknown, at: string): Generator<[string, string]> {
  if (typeof value === 'string') {
    yield [at, value]
  } else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) yield* stringsIn(item, `${at}[${index}]`)
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      yield* stringsIn(item, at === '' ? key : `${at}.${key}`)
    }
  }
}

function refuseSecrets(statement: ProvenanceStatement, secrets: readonly (string | undefined)[]) {
  const given = secrets.filter((secret): secret is string => secret !== undefined && secret !== '')
  if (given.length === 0) return
  for (const [at, text] of stringsIn(statement, '')) {
    if (given.some((secret) => text.includes(secret))) {
      throw new PackwrightError(
        'INVALID_ARGUMENT',
        `Provenance statement: \`${at}\` would hold a secret (a token), so no statement is made.`,
        {
          hint: 'Keep tokens out of source specs and repository URLs; pass them as tokens.',
          details: { field: at },
        },
      )
    }
  }
}

/**
 * Builds the provenance statement of a package: an in-toto Statement v1 about
 * the package file (its sha256), with a SLSA Provenance v1 predicate that
 * records the source and options as given (`externalParameters`), what
 * packwright decided (`internalParameters`), the commit a git or GitHub
 * source resolved to (`resolvedDependencies`) and who built it (`runDetails`).
 * Pure: no clock, no environment, no file system; the same input gives the
 * same statement. Write it with `formatProvenanceStatement`.
 *
 * @throws PackwrightError `INVALID_ARGUMENT` for a malformed input field, or
 *   when a value of `secrets` would appear in the statement.
 */
export function buildProvenanceStatement(input: ProvenanceStatementInput): ProvenanceStatement {
  checkInput(input)
  const spec =
    typeof input.source === 'string'
      ? parseSourceSpec(input.source, { allowRefs: true })
      : input.source
  const sourceText = typeof input.source === 'string' ? input.source : formatSourceSpec(spec)
  const dependency: ProvenanceResourceDescriptor | undefined = sourceDependencyOf(spec, {
    commit: input.pkg.sourceCommit,
    repository: input.repository,
    githubApiBaseUrl: input.githubApiBaseUrl,
  })
  const statement: ProvenanceStatement = {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: [{ name: input.packageName, digest: { sha256: input.pkg.sha256 } }],
    predicateType: SLSA_PROVENANCE_PREDICATE_TYPE,
    predicate: {
      buildDefinition: {
        buildType: PACKWRIGHT_BUILD_TYPE,
        externalParameters: externalParametersOf(sourceText, input.options ?? {}),
        internalParameters: {
          packageMode: input.pkg.mode,
          sourceDateEpoch: input.pkg.sourceDateEpoch,
        },
        ...(dependency === undefined ? {} : { resolvedDependencies: [dependency] }),
      },
      runDetails: {
        builder: { id: input.builderId, version: { packwright: input.packwrightVersion } },
        ...(input.invocationId === undefined
          ? {}
          : { metadata: { invocationId: input.invocationId } }),
      },
    },
  }
  refuseSecrets(statement, input.secrets ?? [])
  return statement
}
