import { ActionError } from './action-error.js'
import { INPUTS, type ReleaseWhen } from './constants.js'

const TAG_REF = /^refs\/tags\/(.+)$/

/**
 * The tag whose GitHub Release receives the package, or undefined when no
 * release is wanted: `auto` releases on tag pushes only (`GITHUB_REF` is
 * `refs/tags/…`), `true` requires one, `false` never releases.
 * @throws ActionError `RELEASE_TAG_MISSING` for `release: true` outside a tag push.
 */
export function releaseTagOf(when: ReleaseWhen, ref: string | undefined): string | undefined {
  if (when === 'false') return undefined
  const tag = TAG_REF.exec(ref ?? '')?.[1]
  if (tag !== undefined || when === 'auto') return tag
  throw new ActionError(
    'RELEASE_TAG_MISSING',
    `\`${INPUTS.release}: true\` needs a tag push, but GITHUB_REF is ${JSON.stringify((ref ?? '').slice(0, 200))}.`,
    {
      hint:
        'Run the workflow `on: push: tags:` (or `on: release`), or set `release: auto` to ' +
        'attach the package only when a tag is pushed.',
    },
  )
}
