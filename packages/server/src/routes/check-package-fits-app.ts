import { cfErrors } from '../http/cf-errors.js'
import type { AppRecord, PackageType } from '../storage/metadata-store.js'

/** Bits packages belong to buildpack apps, docker packages to docker apps (Cloud Controller's rule). */
export function checkPackageFitsApp(type: PackageType, owner: AppRecord): void {
  if (type === 'bits' && owner.lifecycleType === 'docker') {
    throw cfErrors.unprocessableEntity(['Cannot create bits package for a Docker app.'])
  }
  if (type === 'docker' && owner.lifecycleType === 'buildpack') {
    throw cfErrors.unprocessableEntity(['Cannot create Docker package for a buildpack app.'])
  }
}
