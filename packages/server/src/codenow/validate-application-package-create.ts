import type { LabelColor } from '../storage/application-store.js'
import type { CodenowProblem } from './codenow-api-error.js'

export const LABEL_COLORS: readonly LabelColor[] = ['red', 'yellow', 'blue', 'green', 'black']
export const MAX_LABELS = 32
export const MAX_LABEL_TEXT_LENGTH = 256

export interface RequestedComponent {
  readonly componentId: string
  readonly version: string
}

export interface RequestedLabel {
  readonly text: string
  readonly color: LabelColor
}

export interface ApplicationPackageCreateMessage {
  readonly version: string
  readonly components: readonly RequestedComponent[]
  readonly labels: readonly RequestedLabel[]
}

type JsonObject = Record<string, unknown>

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Length in code points: a label of 256 emoji is 256 characters. */
function characters(text: string): number {
  return [...text].length
}

/** A required non-empty string, or undefined after recording why not. */
function requiredText(
  value: unknown,
  field: string,
  problems: CodenowProblem[],
): string | undefined {
  if (value === undefined || value === null) {
    problems.push({ field, message: 'is required' })
  } else if (typeof value !== 'string') {
    problems.push({ field, message: `must be a string, got ${describe(value)}` })
  } else if (value.trim() === '') {
    problems.push({ field, message: 'must not be empty' })
  } else {
    return value
  }
  return undefined
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array'
  if (value === null) return 'null'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

function validateComponents(value: unknown, problems: CodenowProblem[]): RequestedComponent[] {
  if (value === undefined || value === null) {
    problems.push({ field: 'components', message: 'is required: at least 1 component' })
    return []
  }
  if (!Array.isArray(value)) {
    problems.push({ field: 'components', message: `must be an array, got ${describe(value)}` })
    return []
  }
  if (value.length === 0) {
    problems.push({ field: 'components', message: 'must hold at least 1 component' })
  }
  const components: RequestedComponent[] = []
  value.forEach((entry: unknown, index) => {
    const where = `components[${index}]`
    if (!isObject(entry)) {
      problems.push({
        field: where,
        message: `must be an object {componentId, version}, got ${describe(entry)}`,
      })
      return
    }
    const componentId = requiredText(entry.componentId, `${where}.componentId`, problems)
    const version = requiredText(entry.version, `${where}.version`, problems)
    if (componentId !== undefined && version !== undefined)
      components.push({ componentId, version })
  })
  return components
}

function validateLabels(value: unknown, problems: CodenowProblem[]): RequestedLabel[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) {
    problems.push({ field: 'labels', message: `must be an array or null, got ${describe(value)}` })
    return []
  }
  if (value.length > MAX_LABELS) {
    problems.push({
      field: 'labels',
      message: `must hold at most ${MAX_LABELS} labels, got ${value.length}`,
    })
  }
  const labels: RequestedLabel[] = []
  value.forEach((entry: unknown, index) => {
    const where = `labels[${index}]`
    if (!isObject(entry)) {
      problems.push({
        field: where,
        message: `must be an object {color, text}, got ${describe(entry)}`,
      })
      return
    }
    const { color, text } = entry
    let validColor: LabelColor | undefined
    if (color === undefined || color === null) {
      problems.push({ field: `${where}.color`, message: 'is required' })
    } else if (!LABEL_COLORS.includes(color as LabelColor)) {
      problems.push({
        field: `${where}.color`,
        message: `must be one of ${LABEL_COLORS.join(', ')}`,
      })
    } else {
      validColor = color as LabelColor
    }
    let validText: string | undefined
    if (text === undefined || text === null) {
      problems.push({ field: `${where}.text`, message: 'is required' })
    } else if (typeof text !== 'string') {
      problems.push({ field: `${where}.text`, message: `must be a string, got ${describe(text)}` })
    } else if (text === '') {
      problems.push({ field: `${where}.text`, message: 'must not be empty' })
    } else if (characters(text) > MAX_LABEL_TEXT_LENGTH) {
      problems.push({
        field: `${where}.text`,
        message: `must be at most ${MAX_LABEL_TEXT_LENGTH} characters, got ${characters(text)}`,
      })
    } else {
      validText = text
    }
    if (validColor !== undefined && validText !== undefined) {
      labels.push({ color: validColor, text: validText })
    }
  })
  return labels
}

/**
 * Checks a create-application-package body as CodeNOW documents it:
 * `version` non-empty; `components` at least one, each with a non-empty
 * `componentId` and `version`; `labels` absent, null or at most 32, each
 * with a `color` of red, yellow, blue, green or black and a `text` of 1–256
 * characters. Every problem is recorded; the message is returned only when
 * there is none.
 */
export function validateApplicationPackageCreate(
  body: unknown,
  problems: CodenowProblem[],
): ApplicationPackageCreateMessage | undefined {
  if (!isObject(body)) {
    problems.push({
      field: 'body',
      message: `must be a JSON object {version, components, labels}, got ${body === undefined ? 'nothing' : describe(body)}`,
    })
    return undefined
  }
  const version = requiredText(body.version, 'version', problems)
  const components = validateComponents(body.components, problems)
  const labels = validateLabels(body.labels, problems)
  if (problems.length > 0 || version === undefined) return undefined
  return { version, components, labels }
}
