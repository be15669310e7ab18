import { ArtifactNotFoundError, type ArtifactClient } from '@actions/artifact'
import { type Logger } from '@packwright/core'
import { ActionError } from './action-error.js'

function isNotFound(error: unknown): boolean {
  return (
    error instanceof ArtifactNotFoundError ||
    (error as Error | null)?.name === 'ArtifactNotFoundError'
  )
}

/**
 * Fails before anything is packaged when this workflow run already has an
 * artifact named `name` (and `overwrite` is off), instead of after the whole
 * package is written. A lookup that fails for another reason is left to the
 * upload, which reports a taken name too.
 * @throws ActionError `ARTIFACT_NAME_TAKEN`.
 */
export async function checkArtifactNameFree(
  client: ArtifactClient,
  name: string,
  logger: Logger,
): Promise<void> {
  let id: number
  try {
    id = (await client.getArtifact(name)).artifact.id
  } catch (error) {
    if (!isNotFound(error)) {
      logger.debug(
        `Could not look up artifact "${name}" before packaging: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
    return
  }
  throw new ActionError(
    'ARTIFACT_NAME_TAKEN',
    `An artifact named "${name}" already exists in this workflow run (id ${id}); nothing was packaged.`,
    {
      hint:
        'Set `overwrite: true` to replace it, or give each upload its own `name` ' +
        '(for example with {ref}, or a matrix value).',
    },
  )
}
