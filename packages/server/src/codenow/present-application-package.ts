import type { ApplicationPackageRecord, CommitPersonRecord } from '../storage/application-store.js'

/** Which nested lists a listed package carries. */
export interface PackageExpansion {
  readonly components: boolean
  readonly labels: boolean
}

export const FULL_EXPANSION: PackageExpansion = { components: true, labels: true }

const SHORT_ID_LENGTH = 7

function presentPerson(person: CommitPersonRecord | null) {
  return person === null ? null : { name: person.name, email: person.email, date: person.date }
}

/**
 * An application package in CodeNOW's shape, field by field. `livePackages`
 * holds the guids of the packages that still exist: a component whose
 * package is gone is `deleted`. Bits packages have no docker image: theirs
 * is the empty string.
 */
export function presentApplicationPackage(
  record: ApplicationPackageRecord,
  livePackages: ReadonlySet<string>,
  expansion: PackageExpansion = FULL_EXPANSION,
) {
  return {
    version: record.version,
    applicationId: record.applicationId,
    basePackageVersion: record.basePackageVersion,
    archived: record.archived,
    preview: record.preview,
    components: expansion.components
      ? record.components.map((component) => ({
          componentId: component.componentId,
          version: component.version,
          dockerImage: component.dockerImage ?? '',
          deleted: !livePackages.has(component.packageGuid),
          branch: component.branch,
          commit:
            component.commit === null
              ? null
              : {
                  id: component.commit.id,
                  shortId: component.commit.id.slice(0, SHORT_ID_LENGTH),
                  message: component.commit.message,
                  author: presentPerson(component.commit.author),
                  committer: presentPerson(component.commit.committer),
                },
          // No package here is built on a base package, so the question has no answer.
          partOfBasePackage: null,
        }))
      : [],
    labels: expansion.labels
      ? record.labels.map((label) => ({ id: label.id, text: label.text, color: label.color }))
      : [],
  }
}
