import { type Logger } from '@packwright/core'
import { isAlreadyExists, releaseRequestFailure, statusOf } from './github-request-failure.js'
import { type Release, type ReleaseLocation } from './release-assets.js'

/** Pages of 100 releases searched for a draft (GitHub's tag lookup finds published releases only). */
const RELEASE_LIST_PAGES = 3

/** The release of a tag, and whether this run created it. */
export interface FoundRelease {
  readonly release: Release
  readonly created: boolean
}

export interface FindOrCreateReleaseOptions {
  readonly tag: string
  /** The commit the tag points at, the release's `target_commitish`. */
  readonly sha: string
  /** Title for a release this run creates. */
  readonly name: string
  readonly logger: Logger
}

/**
 * Published before drafts (a published release is the one people see), then
 * the oldest: every run that looks at the same releases picks the same one.
 */
function canonical(releases: readonly Release[]): Release | undefined {
  return [...releases].sort((a, b) => Number(a.draft) - Number(b.draft) || a.id - b.id)[0]
}

/** Every release of `tag`, drafts included, from the first pages of the release list. */
async function releasesOfTag(where: ReleaseLocation, tag: string): Promise<Release[]> {
  const { client, owner, repo } = where
  const found: Release[] = []
  for (let page = 1; page <= RELEASE_LIST_PAGES; page++) {
    let releases: Release[]
    try {
      releases = (await client.rest.repos.listReleases({ owner, repo, per_page: 100, page })).data
    } catch (error) {
      throw releaseRequestFailure(`list the releases of ${owner}/${repo}`, error)
    }
    found.push(...releases.filter((release) => release.tag_name === tag))
    if (releases.length < 100) break
  }
  return found
}

/** The release of `tag`: the published one when there is one, else the oldest draft. */
export async function findRelease(
  where: ReleaseLocation,
  tag: string,
): Promise<Release | undefined> {
  const { client, owner, repo } = where
  try {
    return (await client.rest.repos.getReleaseByTag({ owner, repo, tag })).data
  } catch (error) {
    if (statusOf(error) !== 404) {
      throw releaseRequestFailure(`look up the release for tag ${tag}`, error)
    }
  }
  return canonical(await releasesOfTag(where, tag))
}

async function deleteRelease(where: ReleaseLocation, release: Release): Promise<void> {
  const { client, owner, repo } = where
  try {
    await client.rest.repos.deleteRelease({ owner, repo, release_id: release.id })
  } catch (error) {
    if (statusOf(error) !== 404) {
      throw releaseRequestFailure(`delete the duplicate draft release ${release.id}`, error)
    }
  }
}

/**
 * Gets the release of `tag`, or creates it as a draft (published only once
 * its assets are attached). Two runs of one tag end on the same release: a
 * create answered 422 `already_exists` takes the release the other run
 * created, and a duplicate draft made by a race is deleted again in favour of
 * the canonical one (published first, then the oldest).
 */
export async function findOrCreateRelease(
  where: ReleaseLocation,
  options: FindOrCreateReleaseOptions,
): Promise<FoundRelease> {
  const { tag } = options
  const existing = await findRelease(where, tag)
  if (existing !== undefined) {
    options.logger.info(
      `Using the ${existing.draft ? 'draft ' : ''}release ${existing.id} of tag ${tag}`,
    )
    return { release: existing, created: false }
  }

  const { client, owner, repo } = where
  let created: Release
  try {
    created = (
      await client.rest.repos.createRelease({
        owner,
        repo,
        tag_name: tag,
        target_commitish: options.sha,
        name: options.name,
        draft: true,
      })
    ).data
  } catch (error) {
    if (!isAlreadyExists(error, 'Release')) {
      throw releaseRequestFailure(`create the release for tag ${tag}`, error)
    }
    const other = await findRelease(where, tag)
    if (other === undefined) {
      throw releaseRequestFailure(`create the release for tag ${tag}`, error)
    }
    options.logger.info(`Another run created the release of tag ${tag} (${other.id}); using it`)
    return { release: other, created: false }
  }

  const chosen = canonical([created, ...(await releasesOfTag(where, tag))]) ?? created
  if (chosen.id !== created.id) {
    options.logger.info(
      `Another run created release ${chosen.id} of tag ${tag} too; deleting the duplicate draft ${created.id}`,
    )
    await deleteRelease(where, created)
    return { release: chosen, created: false }
  }
  options.logger.info(`Created the draft release ${created.id} of tag ${tag}`)
  return { release: created, created: true }
}

/** Deletes a release this run created, when attaching its assets failed; never throws. */
export async function discardCreatedRelease(
  where: ReleaseLocation,
  release: Release,
  logger: Logger,
): Promise<void> {
  try {
    await deleteRelease(where, release)
    logger.info(`Deleted the draft release ${release.id} this run created`)
  } catch {
    logger.warn(`Could not delete the draft release ${release.id} this run created`)
  }
}
