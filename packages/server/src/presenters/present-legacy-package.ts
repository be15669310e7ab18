import type { PackageRecord } from '../storage/metadata-store.js'

/**
 * A package in the shape of the older `POST /v3/apps/:guid/packages`
 * (the 2015–2017 experimental API): top-level `hash`, `url`, `error` and `_links` with paths
 * relative to the server.
 */
export function presentLegacyPackage(record: PackageRecord) {
  const self = `/v3/packages/${record.guid}`
  return {
    guid: record.guid,
    type: record.type,
    hash: { type: 'sha1', value: record.sha1 },
    url: record.docker?.image ?? null,
    state: record.state,
    error: record.error,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    _links:
      record.type === 'bits'
        ? {
            self: { href: self },
            upload: { href: `${self}/upload`, method: 'POST' },
            app: { href: `/v3/apps/${record.appGuid}` },
          }
        : { self: { href: self }, app: { href: `/v3/apps/${record.appGuid}` } },
  }
}
