import { basename, dirname } from 'node:path'
import { ArtifactNotFoundError, type ArtifactClient } from '@actions/artifact'
import { type Logger } from '@packwright/core'
import { ActionError } from './action-error.js'

export interface UploadPackageOptions {
  /** The package zip; its file name is the artifact name. */
  readonly zipPath: string
  /** The package digest, checked against what the artifact service received. */
  readonly sha256: string
  readonly retentionDays: number | undefined
  /** Delete a same-named artifact of this run first. */
  readonly overwrite: boolean
  readonly logger: Logger
}

/** The workflow artifact that now holds the package. */
export interface UploadedArtifact {
  readonly name: string
  readonly id: number
  /** sha256 of the uploaded bytes, lowercase hex (equal to the package digest). */
  readonly digest: string
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function isNotFound(error: unknown): boolean {
  return (
    error instanceof ArtifactNotFoundError ||
    (error as Error | null)?.name === 'ArtifactNotFoundError'
  )
}

/** The artifact service answers 409 when the run already has an artifact of that name. */
function isNameConflict(error: unknown): boolean {
  return /\(409\)|already exists/i.test(messageOf(error))
}

async function deleteExisting(client: ArtifactClient, name: string, logger: Logger): Promise<void> {
  try {
    const { id } = await client.deleteArtifact(name)
    logger.info(`Deleted the existing artifact "${name}" (id ${id}) so it can be replaced`)
  } catch (error) {
    if (isNotFound(error)) {
      logger.debug(`No artifact named "${name}" to replace`)
      return
    }
    throw new ActionError(
      'ARTIFACT_DELETE_FAILED',
      `Could not delete the existing artifact "${name}": ${messageOf(error)}`,
      {
        cause: error,
      },
    )
  }
}

/**
 * Uploads the package zip as-is (no zip inside a zip) as a workflow artifact,
 * so the artifact digest is the package digest.
 * @throws ActionError when the name is taken (and `overwrite` is off), the
 * upload fails, or the service reports a different digest.
 */
export async function uploadPackage(
  client: ArtifactClient,
  options: UploadPackageOptions,
): Promise<UploadedArtifact> {
  const name = basename(options.zipPath)
  if (options.overwrite) await deleteExisting(client, name, options.logger)

  let response
  try {
    // With skipArchive the client streams the file as it is; compressionLevel would be unused.
    response = await client.uploadArtifact(name, [options.zipPath], dirname(options.zipPath), {
      skipArchive: true,
      retentionDays: options.retentionDays,
    })
  } catch (error) {
    if (isNameConflict(error)) {
      throw new ActionError(
        'ARTIFACT_NAME_TAKEN',
        `An artifact named "${name}" already exists in this workflow run.`,
        {
          hint:
            'Set `overwrite: true` to replace it, or give each upload its own `name` ' +
            '(for example with {ref}, or a matrix value).',
          cause: error,
        },
      )
    }
    throw new ActionError(
      'ARTIFACT_UPLOAD_FAILED',
      `Uploading the artifact "${name}" failed: ${messageOf(error)}`,
      {
        cause: error,
      },
    )
  }

  const { id, digest } = response
  if (id === undefined) {
    throw new ActionError(
      'ARTIFACT_UPLOAD_FAILED',
      `The artifact service did not return an id for "${name}".`,
    )
  }
  if (digest !== undefined && digest !== options.sha256) {
    throw new ActionError(
      'ARTIFACT_DIGEST_MISMATCH',
      `The artifact "${name}" has digest ${digest}, but the package's sha256 is ${options.sha256}.`,
      { hint: 'The package file changed during the upload; run the job again.' },
    )
  }
  return { name, id, digest: digest ?? options.sha256 }
}
