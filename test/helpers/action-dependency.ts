import { realpathSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const actionDir = dirname(createRequire(import.meta.url).resolve('@packwright/action/package.json'))

/**
 * The installed folder of one of the action's own dependencies (such as
 * `@actions/artifact`), so the tests use exactly the copy the bundle was built from.
 */
export function actionDependencyDir(name: string): string {
  return realpathSync(join(actionDir, 'node_modules', name))
}
