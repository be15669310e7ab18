import { describe, expect, it } from 'vitest'
import {
  findDatasetProblem,
  findNamedComponentProblem,
  findViewProblem,
  stringKeyProblem,
} from './find-component-problem.js'
import { isMapping } from './is-mapping.js'
import { validateSpicepod } from './validate-spicepod.js'

describe('component problems', () => {
  it.each([
    [null, 'null'],
    [undefined, 'null'],
    [[1], 'a list'],
    [5, 'number 5'],
    [true, 'boolean true'],
    ['x'.repeat(100), `string "${'x'.repeat(59)}`],
  ])('describes %j as %s', (value, described) => {
    expect(findDatasetProblem(value)).toBe(`expected a mapping, but it is ${described}`)
    expect(findViewProblem(value)).toBe(`expected a mapping, but it is ${described}`)
    expect(findNamedComponentProblem(value)).toBe(`expected a mapping, but it is ${described}`)
  })

  it.each([
    [7, 'number 7'],
    [null, 'null'],
    [[], 'a list'],
    [{}, 'a mapping'],
  ])('says a non-string name %j is %s', (name, described) => {
    expect(findDatasetProblem({ name })).toBe(`\`name\` must be a string, but it is ${described}`)
  })

  it('takes a key set to undefined as missing, and a missing optional key as fine', () => {
    expect(stringKeyProblem({ name: undefined }, 'name', true)).toBe('missing field `name`')
    expect(stringKeyProblem({ name: undefined }, 'name', false)).toBeUndefined()
    expect(stringKeyProblem({}, 'name', false)).toBeUndefined()
    expect(stringKeyProblem({ name: 'n' }, 'name', true)).toBeUndefined()
  })

  it('cuts an unknown key after 60 characters', () => {
    expect(findDatasetProblem({ name: 'n', ['z'.repeat(61)]: 1 })).toMatch(
      new RegExp(`^unknown field \`${'z'.repeat(60)}…\`; expected one of \`from\`, \`name\`, `),
    )
    expect(findDatasetProblem({ name: 'n', ['z'.repeat(60)]: 1 })).toMatch(
      new RegExp(`^unknown field \`${'z'.repeat(60)}\`; expected`),
    )
  })

  it('checks acceleration only when it is set', () => {
    expect(findDatasetProblem({ name: 'n', acceleration: null })).toBeUndefined()
    expect(findDatasetProblem({ name: 'n', acceleration: { enabled: true } })).toBeUndefined()
    expect(findDatasetProblem({ name: 'n', acceleration: [] })).toBe(
      '`acceleration` must be a mapping, but it is a list',
    )
    expect(findDatasetProblem({ name: 'n', acceleration: { nope: 1 } })).toMatch(
      /^acceleration: unknown field `nope`; expected one of `enabled`, /,
    )
  })

  it('checks a view name, sql_ref and sql, and a named component from and name', () => {
    expect(findViewProblem({ name: 'v', sql: 5 })).toBe(
      '`sql` must be a string, but it is number 5',
    )
    expect(findViewProblem({ name: 'v', sql_ref: 5 })).toBe(
      '`sql_ref` must be a string, but it is number 5',
    )
    expect(findNamedComponentProblem({ from: 'x' })).toBe('missing field `name`')
    expect(findNamedComponentProblem({ name: 'x' })).toBe('missing field `from`')
  })
})

describe('isMapping', () => {
  it.each([
    [{}, true],
    [[], false],
    [null, false],
    ['a', false],
  ])('%j: %s', (value, expected) => {
    expect(isMapping(value)).toBe(expected)
  })
})

describe('validateSpicepod reasons', () => {
  const base = { version: 'v1', kind: 'Spicepod', name: 'n' }
  const reason = (value: Record<string, unknown>) => {
    const result = validateSpicepod(value)
    return result.ok ? undefined : result.reason
  }

  it('cuts an unknown version or kind after 60 characters', () => {
    expect(reason({ ...base, version: `v9${'x'.repeat(70)}` })).toBe(
      `unknown variant "v9${'x'.repeat(58)}" for \`version\`; expected one of \`v1beta1\`, \`v1\`, \`v2\``,
    )
    expect(reason({ ...base, kind: 'K'.repeat(70) })).toBe(
      `unknown variant "${'K'.repeat(60)}" for \`kind\`; expected \`Spicepod\``,
    )
  })

  it('says what dependencies are when they are not a list', () => {
    expect(reason({ ...base, dependencies: { a: 1 } })).toBe(
      '`dependencies` must be a list of strings, but it is a mapping',
    )
    expect(reason({ ...base, dependencies: 'x' })).toBe(
      '`dependencies` must be a list of strings, but it is string',
    )
  })

  it('explains an item that is neither a component nor a reference', () => {
    expect(reason({ ...base, models: [{ ref: 5 }] })).toBe(
      'models[0]: `ref` must be a string, but it is number 5',
    )
    expect(reason({ ...base, models: [{ ref: undefined }] })).toBe('models[0]: missing field `ref`')
    expect(reason({ ...base, models: [{}] })).toBe(
      'models[0]: expected an inline component (with string `from` and `name`) or a reference (`ref: <folder>`), but missing field `from`',
    )
    expect(reason({ ...base, datasets: [5] })).toBe(
      'datasets[0]: expected a mapping, but it is number 5',
    )
  })
})
