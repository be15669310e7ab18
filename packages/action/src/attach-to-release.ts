import {
  discardCreatedRelease,
  findOrCreateRelease,
  type FindOrCreateReleaseOptions,
} from './find-or-create-release.js'
import { releaseRequestFailure } from './github-request-failure.js'
import {
  listReleaseAssets,
  placeReleaseAsset,
  type AssetFile,
  type Release,
  type ReleaseLocation,
} from './release-assets.js'

export interface AttachToReleaseOptions extends FindOrCreateReleaseOptions {
  /** Leave the release a draft; otherwise a draft is published once every asset is attached. */
  readonly draft: boolean
  readonly files: readonly AssetFile[]
}

/** The release that now holds the files. */
export interface AttachedRelease {
  readonly id: number
  readonly tag: string
  readonly url: string
  readonly draft: boolean
  /** Download URL of each file, in the order given. */
  readonly assetUrls: readonly string[]
  /** Names of the files this run uploaded (the others already held the same bytes). */
  readonly changed: readonly string[]
}

async function publish(where: ReleaseLocation, release: Release): Promise<Release> {
  const { client, owner, repo } = where
  try {
    return (
      await client.rest.repos.updateRelease({
        owner,
        repo,
        release_id: release.id,
        draft: false,
      })
    ).data
  } catch (error) {
    throw releaseRequestFailure(`publish release ${release.id} of tag ${release.tag_name}`, error)
  }
}

/**
 * Attaches `files` to the GitHub Release of the tag: gets or creates the
 * release (as a draft), places every file (same bytes are kept, other bytes
 * replaced, nothing duplicated), then publishes it unless `draft` is set. A
 * draft this run created is deleted again when attaching fails, so no
 * half-made release is left behind.
 */
export async function attachToRelease(
  where: ReleaseLocation,
  options: AttachToReleaseOptions,
): Promise<AttachedRelease> {
  const { release, created } = await findOrCreateRelease(where, options)
  let final = release
  const urls = new Map<string, string>()
  const changed: string[] = []
  try {
    for (const file of options.files) {
      const placed = await placeReleaseAsset(where, release, file, options.logger)
      urls.set(file.name, placed.asset.browser_download_url)
      if (placed.changed) changed.push(file.name)
    }
    if (release.draft && !options.draft) {
      final = await publish(where, release)
      options.logger.info(`Published release ${final.id} of tag ${options.tag}`)
      // Download URLs of a draft's assets name an "untagged-…" path; published ones name the tag.
      for (const asset of await listReleaseAssets(where, release.id)) {
        const name = options.files.find(
          (file) => file.name === asset.name || file.name === asset.label,
        )?.name
        if (name !== undefined) urls.set(name, asset.browser_download_url)
      }
    }
  } catch (error) {
    if (created) await discardCreatedRelease(where, release, options.logger)
    throw error
  }
  return {
    id: final.id,
    tag: options.tag,
    url: final.html_url,
    draft: final.draft,
    assetUrls: options.files.map((file) => urls.get(file.name) ?? ''),
    changed,
  }
}
