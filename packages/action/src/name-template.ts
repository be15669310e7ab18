import { FORBIDDEN_NAME_CHARACTERS, NAME_PLACEHOLDERS, type NamePlaceholder } from './constants.js'

/** Values substituted into the `name` template. */
export type NameValues = Readonly<Record<NamePlaceholder, string>>

const PLACEHOLDER = /\{([^{}]*)\}/g

function isPlaceholder(name: string): name is NamePlaceholder {
  return (NAME_PLACEHOLDERS as readonly string[]).includes(name)
}

/** Labels of the forbidden characters that `text` contains, in table order. */
export function forbiddenCharactersIn(text: string): string[] {
  return [...FORBIDDEN_NAME_CHARACTERS].filter(([char]) => text.includes(char)).map(([, l]) => l)
}

/**
 * Checks a `name` template without rendering it: known placeholders only, and
 * no character the artifact service refuses in the literal text. Returns one
 * sentence per problem (empty when the template is valid).
 */
export function findNameTemplateProblems(template: string): string[] {
  const problems: string[] = []
  if (template.trim() === '') return ['is empty; give a name such as "{repo}-{sha7}"']
  const unknown = [...template.matchAll(PLACEHOLDER)]
    .map((match) => match[1] ?? '')
    .filter((name) => !isPlaceholder(name))
  if (unknown.length > 0) {
    const list = [...new Set(unknown)].map((name) => `{${name}}`).join(', ')
    const allowed = NAME_PLACEHOLDERS.map((name) => `{${name}}`).join(', ')
    problems.push(`has unknown placeholder ${list}; the placeholders are ${allowed}`)
  }
  const forbidden = forbiddenCharactersIn(template.replace(PLACEHOLDER, ''))
  if (forbidden.length > 0) {
    problems.push(
      `contains characters artifact names cannot hold: ${forbidden.join(', ')} ` +
        '(the artifact service rejects them because some file systems cannot store them)',
    )
  }
  return problems
}

/** Replaces characters an artifact name cannot hold (a `/` in a branch name) with `-`. */
function sanitizeValue(value: string): string {
  let result = value
  for (const char of FORBIDDEN_NAME_CHARACTERS.keys()) result = result.split(char).join('-')
  return result
}

/**
 * Renders a template checked by {@link findNameTemplateProblems}. Substituted
 * values are made safe for artifact names (`feature/x` becomes `feature-x`).
 */
export function renderNameTemplate(template: string, values: NameValues): string {
  return template
    .trim()
    .replace(PLACEHOLDER, (whole, name: string) =>
      isPlaceholder(name) ? sanitizeValue(values[name]) : whole,
    )
}

/** The package file name, which is also the artifact name: the name plus `.zip`, unless present. */
export function packageFileName(name: string): string {
  return name.toLowerCase().endsWith('.zip') ? name : `${name}.zip`
}
