import { PACKWRIGHT_ANNOTATIONS, quoteInput } from '@packwright/core'
import { VERSION_ANNOTATION_KEYS } from '../annotations/packwright-annotations.js'
import type {
  ApplicationComponentRecord,
  CommitPersonRecord,
  CommitRecord,
} from '../storage/application-store.js'
import type { AppRecord, MetadataStore, PackageRecord } from '../storage/metadata-store.js'
import type { CodenowProblem } from './codenow-api-error.js'
import type { RequestedComponent } from './validate-application-package-create.js'

const FIRST_MATCH = {
  page: 1,
  perPage: 1,
  order: { field: 'created_at', descending: false },
} as const

/** An app named by its guid or, failing that, by its name. */
async function findApp(
  metadata: MetadataStore,
  componentId: string,
): Promise<AppRecord | undefined> {
  const byGuid = await metadata.getApp(componentId)
  if (byGuid !== undefined) return byGuid
  const byName = await metadata.listApps({ names: [componentId] }, FIRST_MATCH)
  return byName.items[0]
}

function person(
  annotations: Readonly<Record<string, string>>,
  keys: { name: string; email: string; date: string },
): CommitPersonRecord | null {
  const name = annotations[keys.name] ?? null
  const email = annotations[keys.email] ?? null
  const date = annotations[keys.date] ?? null
  return name === null && email === null && date === null ? null : { name, email, date }
}

/** The commit a package records in its annotations, or null when it names none. */
export function commitOf(annotations: Readonly<Record<string, string>>): CommitRecord | null {
  const id = annotations[PACKWRIGHT_ANNOTATIONS.commitSha]
  if (id === undefined) return null
  return {
    id,
    message: annotations[PACKWRIGHT_ANNOTATIONS.commitMessage] ?? null,
    author: person(annotations, {
      name: PACKWRIGHT_ANNOTATIONS.authorName,
      email: PACKWRIGHT_ANNOTATIONS.authorEmail,
      date: PACKWRIGHT_ANNOTATIONS.authorDate,
    }),
    committer: person(annotations, {
      name: PACKWRIGHT_ANNOTATIONS.committerName,
      email: PACKWRIGHT_ANNOTATIONS.committerEmail,
      date: PACKWRIGHT_ANNOTATIONS.committerDate,
    }),
  }
}

function componentRecord(
  requested: RequestedComponent,
  pkg: PackageRecord,
): ApplicationComponentRecord {
  return {
    componentId: requested.componentId,
    version: requested.version,
    appGuid: pkg.appGuid,
    packageGuid: pkg.guid,
    dockerImage: pkg.docker?.image ?? null,
    branch: pkg.annotations[PACKWRIGHT_ANNOTATIONS.branch] ?? null,
    commit: commitOf(pkg.annotations),
  }
}

/**
 * Resolves each requested component to the app it names (by guid or name)
 * and that app's newest READY package of the requested version (its
 * `packwright.dev/version`, else its commit SHA). Components that resolve
 * to nothing are recorded as problems, all of them.
 */
export async function resolveComponents(
  metadata: MetadataStore,
  requested: readonly RequestedComponent[],
  problems: CodenowProblem[],
): Promise<ApplicationComponentRecord[]> {
  const resolved: ApplicationComponentRecord[] = []
  for (const [index, component] of requested.entries()) {
    const field = `components[${index}]`
    const app = await findApp(metadata, component.componentId)
    if (app === undefined) {
      problems.push({
        field: `${field}.componentId`,
        message: `no component (app) is named ${quoteInput(component.componentId)} or has that guid`,
      })
      continue
    }
    const pkg = await metadata.findPackageByVersion({
      appGuid: app.guid,
      state: 'READY',
      versionKeys: VERSION_ANNOTATION_KEYS,
      version: component.version,
    })
    if (pkg === undefined) {
      problems.push({
        field: `${field}.version`,
        message: `component ${quoteInput(component.componentId)} has no READY package with version ${quoteInput(component.version)}`,
      })
      continue
    }
    resolved.push(componentRecord(component, pkg))
  }
  return resolved
}
