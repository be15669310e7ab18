import type { Generated } from 'kysely'

/** The tables of the metadata database, as Kysely sees them. */
export interface MetadataSchema {
  apps: {
    seq: Generated<number>
    guid: string
    name: string
    lifecycle_type: string
    labels: string
    annotations: string
    created_at: string
    updated_at: string | null
  }
  packages: {
    seq: Generated<number>
    guid: string
    app_guid: string
    type: string
    state: string
    sha1: string | null
    sha256: string | null
    error: string | null
    docker_image: string | null
    docker_username: string | null
    docker_password: string | null
    labels: string
    annotations: string
    created_at: string
    updated_at: string | null
  }
  jobs: {
    guid: string
    operation: string
    state: string
    resource_type: string | null
    resource_guid: string | null
    errors: string
    created_at: string
    updated_at: string | null
  }
  resource_pool: {
    sha1: string
    size: number
  }
  applications: {
    seq: Generated<number>
    id: string
    name: string
    created_at: string
  }
  application_packages: {
    seq: Generated<number>
    application_id: string
    version: string
    base_package_version: string | null
    /** 0 or 1. */
    archived: number
    preview: number
    /** JSON: ApplicationComponentRecord[]. */
    components: string
    /** JSON: ApplicationPackageLabel[]. */
    labels: string
    created_at: string
  }
  generated_packages: {
    source_key: string
    sha256: string
    size: number
    created_at: string
  }
}
