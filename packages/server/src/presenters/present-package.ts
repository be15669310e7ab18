import type { PackageRecord } from '../storage/metadata-store.js'

/**
 * The checksum a bits package reports: its sha256, unless it has only a
 * legacy sha1 (Cloud Controller's rule).
 */
function checksumOf(record: PackageRecord) {
  if (record.sha256 === null && record.sha1 !== null) return { type: 'sha1', value: record.sha1 }
  return { type: 'sha256', value: record.sha256 }
}

/** A package in the shape of the current v3 routes (`data.checksum`, `links`, `metadata`). */
export function presentPackage(record: PackageRecord, baseUrl: string) {
  const self = `${baseUrl}/v3/packages/${record.guid}`
  const app = { href: `${baseUrl}/v3/apps/${record.appGuid}` }
  const docker = record.docker
  return {
    guid: record.guid,
    type: record.type,
    data:
      docker === null
        ? { checksum: checksumOf(record), error: record.error }
        : {
            image: docker.image,
            username: docker.username,
            password: docker.username === null ? null : '***',
          },
    state: record.state,
    created_at: record.createdAt,
    updated_at: record.updatedAt ?? record.createdAt,
    relationships: { app: { data: { guid: record.appGuid } } },
    metadata: { labels: record.labels, annotations: record.annotations },
    links:
      record.type === 'bits'
        ? {
            self: { href: self },
            upload: { href: `${self}/upload`, method: 'POST' },
            download: { href: `${self}/download` },
            app,
          }
        : { self: { href: self }, app },
  }
}
