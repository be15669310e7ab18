import { type Logger } from '@packwright/core'
import { type FileBody } from './file-body.js'
import { isAlreadyExists, releaseRequestFailure, statusOf } from './github-request-failure.js'
import { type ReleaseClient } from './release-client.js'

/** The fields of a GitHub release the action uses. */
export interface Release {
  readonly id: number
  readonly tag_name: string
  readonly draft: boolean
  readonly html_url: string
  readonly upload_url: string
  readonly assets?: readonly ReleaseAsset[]
}

/** The fields of a GitHub release asset the action uses. */
export interface ReleaseAsset {
  readonly id: number
  readonly name: string
  readonly label?: string | null
  /** `uploaded`, or `starter` for an upload that never finished. */
  readonly state: string
  readonly browser_download_url: string
  /** `sha256:<hex>`, where GitHub reports it. */
  readonly digest?: string | null
}

/** One file to attach to a release. */
export interface AssetFile {
  /** The asset name, also set as its label (GitHub may rename odd names; the label keeps ours). */
  readonly name: string
  /** The bytes, or a file streamed from disk (large packages are never held in memory). */
  readonly data: Buffer | FileBody
  readonly contentType: string
  /** sha256 of `data`, lowercase hex; an asset with this digest is kept as it is. */
  readonly sha256: string
}

/** Where a release lives: the repository and the client that reaches it. */
export interface ReleaseLocation {
  readonly client: ReleaseClient
  readonly owner: string
  readonly repo: string
}

/** The asset a name now refers to, and whether this run changed it. */
export interface PlacedAsset {
  readonly asset: ReleaseAsset
  readonly changed: boolean
}

function sizeOf(file: AssetFile): number {
  return Buffer.isBuffer(file.data) ? file.data.length : file.data.size
}

/** Whether an asset is the one published under `name` (GitHub may have renamed it; the label is ours). */
function answersTo(asset: ReleaseAsset, name: string): boolean {
  return asset.name === name || asset.label === name
}

/** The assets of a release as GitHub lists them now. */
export async function listReleaseAssets(
  where: ReleaseLocation,
  releaseId: number,
): Promise<ReleaseAsset[]> {
  const { client, owner, repo } = where
  try {
    return await client.paginate(client.rest.repos.listReleaseAssets, {
      owner,
      repo,
      release_id: releaseId,
    })
  } catch (error) {
    throw releaseRequestFailure(`list the assets of release ${releaseId}`, error)
  }
}

async function deleteAsset(where: ReleaseLocation, asset: ReleaseAsset): Promise<void> {
  const { client, owner, repo } = where
  try {
    await client.rest.repos.deleteReleaseAsset({ owner, repo, asset_id: asset.id })
  } catch (error) {
    if (statusOf(error) === 404) return // gone already: another run replaced it
    throw releaseRequestFailure(`delete the release asset "${asset.name}"`, error)
  }
}

async function postAsset(
  where: ReleaseLocation,
  release: Release,
  file: AssetFile,
  name: string,
  label: string,
): Promise<ReleaseAsset> {
  const response = await where.client.request({
    method: 'POST',
    url: release.upload_url,
    name,
    label,
    data: file.data,
    headers: { 'content-type': file.contentType, 'content-length': sizeOf(file) },
  })
  return response.data as ReleaseAsset
}

/**
 * Uploads `file` to the release under `name` (label `label`, default the
 * name). When GitHub answers 422 `already_exists` — another run uploaded the
 * same name meanwhile, or a failed upload left a `starter` asset — the
 * same-named assets are listed, deleted and the upload is tried once more.
 */
export async function uploadReleaseAsset(
  where: ReleaseLocation,
  release: Release,
  file: AssetFile,
  name = file.name,
  label = file.name,
): Promise<ReleaseAsset> {
  try {
    return await postAsset(where, release, file, name, label)
  } catch (error) {
    if (!isAlreadyExists(error, 'ReleaseAsset')) {
      throw releaseRequestFailure(`upload "${name}" to release ${release.id}`, error)
    }
  }
  for (const asset of await listReleaseAssets(where, release.id)) {
    if (answersTo(asset, name)) await deleteAsset(where, asset)
  }
  try {
    return await postAsset(where, release, file, name, label)
  } catch (error) {
    throw releaseRequestFailure(`upload "${name}" to release ${release.id}`, error)
  }
}

/**
 * Makes `file.name` in the release hold `file`'s bytes. An asset that already
 * holds them (same sha256) is kept untouched; a different one is replaced by
 * uploading under a temporary name first, then deleting the old asset and
 * renaming the new one, so the old bytes stay downloadable until the new ones
 * are complete.
 */
export async function placeReleaseAsset(
  where: ReleaseLocation,
  release: Release,
  file: AssetFile,
  logger: Logger,
): Promise<PlacedAsset> {
  const existing = (release.assets ?? []).filter((asset) => answersTo(asset, file.name))
  const digest = `sha256:${file.sha256}`
  const same = existing.find((asset) => asset.state === 'uploaded' && asset.digest === digest)
  if (same !== undefined && existing.length === 1) {
    logger.info(`Release asset ${file.name} already holds these bytes (${digest}); kept`)
    return { asset: same, changed: false }
  }
  if (existing.length === 0) {
    const asset = await uploadReleaseAsset(where, release, file)
    logger.info(`Uploaded ${file.name} (${sizeOf(file)} bytes) to the release`)
    return { asset, changed: true }
  }

  // The temporary asset is labelled with the final name, so a run that stops before the
  // rename leaves an asset the next run recognises and replaces.
  const temporary = `${file.name}.replacing-${existing[0]?.id ?? 0}`
  const uploaded = await uploadReleaseAsset(where, release, file, temporary)
  for (const asset of existing) await deleteAsset(where, asset)
  const { client, owner, repo } = where
  try {
    const { data } = await client.rest.repos.updateReleaseAsset({
      owner,
      repo,
      asset_id: uploaded.id,
      name: file.name,
      label: file.name,
    })
    logger.info(`Replaced the release asset ${file.name} (${sizeOf(file)} bytes)`)
    return { asset: data, changed: true }
  } catch (error) {
    throw releaseRequestFailure(`rename the release asset "${temporary}" to "${file.name}"`, error)
  }
}
