import type { JobRecord } from '../storage/metadata-store.js'

/** A job in the shape of `GET /v3/jobs/:guid`. */
export function presentJob(record: JobRecord, baseUrl: string) {
  const links: Record<string, { href: string }> = {
    self: { href: `${baseUrl}/v3/jobs/${record.guid}` },
  }
  if (record.resourceType !== null && record.resourceGuid !== null) {
    links[record.resourceType] = {
      href: `${baseUrl}/v3/${record.resourceType}s/${record.resourceGuid}`,
    }
  }
  return {
    guid: record.guid,
    created_at: record.createdAt,
    updated_at: record.updatedAt ?? record.createdAt,
    operation: record.operation,
    state: record.state,
    links,
    errors: record.errors,
    warnings: [] as { detail: string }[],
  }
}
