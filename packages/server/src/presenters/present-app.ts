import type { AppRecord } from '../storage/metadata-store.js'

/** An app in Cloud Foundry's v3 shape (the parts packwright keeps). */
export function presentApp(app: AppRecord, baseUrl: string) {
  return {
    guid: app.guid,
    created_at: app.createdAt,
    updated_at: app.updatedAt ?? app.createdAt,
    name: app.name,
    state: 'STOPPED',
    lifecycle:
      app.lifecycleType === 'docker'
        ? { type: 'docker', data: {} }
        : { type: 'buildpack', data: { buildpacks: [], stack: null } },
    metadata: { labels: app.labels, annotations: app.annotations },
    links: {
      self: { href: `${baseUrl}/v3/apps/${app.guid}` },
      packages: { href: `${baseUrl}/v3/apps/${app.guid}/packages` },
    },
  }
}
