import { createRequire } from 'node:module'
import { basename } from 'node:path'
import {
  PACKWRIGHT_CLI_BUILDER_ID,
  buildProvenanceStatement,
  formatProvenanceStatement,
  type GeneratedPackage,
} from '@packwright/core'
import { writeFileAtomically } from '../write-file-atomically.js'
import type { PackagingSettings } from './packaging-options.js'

/** The version of this command line, written as `builder.version.packwright`. */
function packwrightVersion(): string {
  const require = createRequire(import.meta.url)
  return (require('../../package.json') as { version: string }).version
}

/**
 * Writes the provenance statement of a package made by `generate` to `file`
 * (atomically): the package file as the subject, the source and packaging
 * options as given, the commit a git or GitHub source resolved to. The
 * GitHub token is named as a secret, so a statement that would hold it is
 * refused instead of written.
 */
export async function writeProvenanceFile(
  file: string,
  pkg: GeneratedPackage,
  source: string,
  packaging: PackagingSettings,
  signal?: AbortSignal,
): Promise<void> {
  const statement = buildProvenanceStatement({
    packageName: basename(pkg.path),
    pkg,
    source,
    options: packaging,
    builderId: PACKWRIGHT_CLI_BUILDER_ID,
    packwrightVersion: packwrightVersion(),
    ...(packaging.github?.apiBaseUrl === undefined
      ? {}
      : { githubApiBaseUrl: packaging.github.apiBaseUrl }),
    secrets: [packaging.github?.token],
  })
  await writeFileAtomically(file, formatProvenanceStatement(statement), signal)
}
