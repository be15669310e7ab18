import {
  findDatasetProblem,
  findNamedComponentProblem,
  findViewProblem,
  stringKeyProblem,
} from './find-component-problem.js'
import { isMapping } from './is-mapping.js'

/** The component sections the packager follows, in Spice's order. */
export const SPICEPOD_SECTIONS = [
  'catalogs',
  'datasets',
  'views',
  'models',
  'embeddings',
  'tools',
] as const

export type SpicepodSection = (typeof SPICEPOD_SECTIONS)[number]

/** Every manifest `version` packwright accepts: it packages pods, it does not run them. */
export const SPICEPOD_VERSIONS: readonly string[] = ['v1beta1', 'v1', 'v2']

/** One item of a component list: an inline component or a `ref:` to a folder. */
export type SpicepodItem =
  | { readonly kind: 'inline'; readonly index: number; readonly value: Record<string, unknown> }
  | { readonly kind: 'ref'; readonly index: number; readonly ref: string }

/** The parts of a manifest the packager needs. */
export interface SpicepodDocument {
  readonly version: string
  readonly name: string
  readonly dependencies: readonly string[]
  readonly sections: Readonly<Record<SpicepodSection, readonly SpicepodItem[]>>
}

/** The outcome of validating a parsed manifest. */
export type SpicepodValidation =
  | { readonly ok: true; readonly document: SpicepodDocument }
  | { readonly ok: false; readonly reason: string }

const INLINE_PROBLEM: Record<SpicepodSection, (value: unknown) => string | undefined> = {
  catalogs: findNamedComponentProblem,
  datasets: findDatasetProblem,
  views: findViewProblem,
  models: findNamedComponentProblem,
  embeddings: findNamedComponentProblem,
  tools: findNamedComponentProblem,
}

function describeList(value: unknown): string {
  if (isMapping(value)) return 'a mapping'
  return typeof value
}

/**
 * Applies the component-or-reference rule to one list item, as Spice's untagged
 * enum does: the item is an inline component if it validates as one, else a
 * reference if it has a string `ref`, else invalid.
 */
function classifyItem(
  section: SpicepodSection,
  index: number,
  item: unknown,
): SpicepodItem | string {
  const where = `${section}[${index}]`
  const problem = INLINE_PROBLEM[section](item)
  if (problem === undefined && isMapping(item)) return { kind: 'inline', index, value: item }
  if (isMapping(item) && 'ref' in item) {
    const refProblem = stringKeyProblem(item, 'ref', true)
    if (refProblem !== undefined) return `${where}: ${refProblem}`
    return { kind: 'ref', index, ref: item.ref as string }
  }
  if (section === 'datasets' || section === 'views') return `${where}: ${problem ?? 'invalid'}`
  return (
    `${where}: expected an inline component (with string \`from\` and \`name\`) ` +
    `or a reference (\`ref: <folder>\`), but ${problem ?? 'it is neither'}`
  )
}

/**
 * Checks a parsed manifest against the parts of Spice's schema that make its
 * packager fail: required `version` (v1beta1, v1 or v2), `kind: Spicepod` and
 * `name`, string `dependencies`, and each followed section's items.
 */
export function validateSpicepod(value: Record<string, unknown>): SpicepodValidation {
  const fail = (reason: string): SpicepodValidation => ({ ok: false, reason })
  const versionProblem = stringKeyProblem(value, 'version', true)
  if (versionProblem !== undefined) return fail(versionProblem)
  const version = value.version as string
  if (!SPICEPOD_VERSIONS.includes(version)) {
    return fail(
      `unknown variant ${JSON.stringify(version.slice(0, 60))} for \`version\`; expected one of ${SPICEPOD_VERSIONS.map((v) => `\`${v}\``).join(', ')}`,
    )
  }
  const kindProblem = stringKeyProblem(value, 'kind', true)
  if (kindProblem !== undefined) return fail(kindProblem)
  if (value.kind !== 'Spicepod') {
    return fail(
      `unknown variant ${JSON.stringify(String(value.kind).slice(0, 60))} for \`kind\`; expected \`Spicepod\``,
    )
  }
  const nameProblem = stringKeyProblem(value, 'name', true)
  if (nameProblem !== undefined) return fail(nameProblem)

  const dependencies: string[] = []
  const rawDependencies = value.dependencies ?? []
  if (!Array.isArray(rawDependencies)) {
    return fail(
      `\`dependencies\` must be a list of strings, but it is ${describeList(rawDependencies)}`,
    )
  }
  for (const [index, dependency] of rawDependencies.entries()) {
    if (typeof dependency !== 'string') {
      return fail(`dependencies[${index}] must be a string`)
    }
    dependencies.push(dependency)
  }

  const sections = {} as Record<SpicepodSection, SpicepodItem[]>
  for (const section of SPICEPOD_SECTIONS) {
    const raw = value[section] ?? []
    if (!Array.isArray(raw)) {
      return fail(`\`${section}\` must be a list, but it is ${describeList(raw)}`)
    }
    const items: SpicepodItem[] = []
    for (const [index, item] of raw.entries()) {
      const classified = classifyItem(section, index, item)
      if (typeof classified === 'string') return fail(classified)
      items.push(classified)
    }
    sections[section] = items
  }
  return { ok: true, document: { version, name: value.name as string, dependencies, sections } }
}
