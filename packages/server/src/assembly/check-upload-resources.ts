import {
  type ResourceDescriptor,
  escapeControlCharacters,
  findZipPathProblem,
} from '@packwright/core'
import type { UploadResource } from '../upload/parse-upload-resources.js'
import { AssemblyFailure } from './assembly-failure.js'

/** Mode of a resource sent without one (Cloud Controller's default). */
const DEFAULT_RESOURCE_MODE = '744'

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))
  const short = text.length > 200 ? `${text.slice(0, 200)}…` : text
  return escapeControlCharacters(short)
}

/**
 * Judges the cached resources of an upload as the packing job does, with
 * Cloud Controller's messages, but stricter on paths: `..` segments,
 * absolute paths and backslashes are refused outright, whatever they would
 * resolve to. Modes need owner read and write (0600).
 *
 * @throws AssemblyFailure for the first resource that fails.
 */
export function checkUploadResources(resources: readonly UploadResource[]): ResourceDescriptor[] {
  return resources.map((resource) => {
    const { path, sha1 } = resource
    if (typeof path !== 'string' || path === '' || findZipPathProblem(path) !== undefined) {
      throw new AssemblyFailure(
        `The resource file path is invalid: File path '${shown(path)}' is not safe.`,
      )
    }
    const mode =
      resource.mode === undefined || resource.mode === null
        ? DEFAULT_RESOURCE_MODE
        : typeof resource.mode === 'string' || typeof resource.mode === 'number'
          ? String(resource.mode)
          : shown(resource.mode)
    if (!/^[0-7]{1,7}$/.test(mode) || (Number.parseInt(mode, 8) & 0o600) !== 0o600) {
      throw new AssemblyFailure(
        `The resource file mode is invalid: File mode '${shown(mode)}' with path '${shown(path)}' is invalid. Minimum file mode is '0600'`,
      )
    }
    if (typeof sha1 !== 'string' || !/^[0-9a-fA-F]{40}$/.test(sha1)) {
      throw new AssemblyFailure(
        `The app upload is invalid: resource '${shown(path)}' has checksum '${shown(sha1)}', expected a 40-character hex sha1.`,
      )
    }
    return { path, checksum: { value: sha1.toLowerCase() }, size_in_bytes: 0, mode }
  })
}
