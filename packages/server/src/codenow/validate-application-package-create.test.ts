import { describe, expect, it } from 'vitest'
import type { CodenowProblem } from './codenow-api-error.js'
import { validateApplicationPackageCreate } from './validate-application-package-create.js'

function check(body: unknown) {
  const problems: CodenowProblem[] = []
  const message = validateApplicationPackageCreate(body, problems)
  return { message, problems }
}

const COMPONENTS = [{ componentId: 'web', version: '1.0.0' }]

describe('validateApplicationPackageCreate', () => {
  it('answers the message of a valid body, labels in order', () => {
    expect(
      check({
        version: '1.0.0',
        components: [...COMPONENTS, { componentId: 'api', version: 'abc' }],
        labels: [
          { color: 'black', text: 'a' },
          { color: 'yellow', text: 'b' },
        ],
      }),
    ).toEqual({
      message: {
        version: '1.0.0',
        components: [...COMPONENTS, { componentId: 'api', version: 'abc' }],
        labels: [
          { color: 'black', text: 'a' },
          { color: 'yellow', text: 'b' },
        ],
      },
      problems: [],
    })
    expect(check({ version: '1', components: COMPONENTS, labels: null }).message?.labels).toEqual(
      [],
    )
    expect(check({ version: '1', components: COMPONENTS }).message?.labels).toEqual([])
  })

  it('treats null like a missing field', () => {
    expect(
      check({
        version: null,
        components: [{ componentId: null, version: null }],
        labels: [{ color: null, text: null }],
      }).problems,
    ).toEqual([
      { field: 'version', message: 'is required' },
      { field: 'components[0].componentId', message: 'is required' },
      { field: 'components[0].version', message: 'is required' },
      { field: 'labels[0].color', message: 'is required' },
      { field: 'labels[0].text', message: 'is required' },
    ])
    expect(check({ version: '1', components: null }).problems).toEqual([
      { field: 'components', message: 'is required: at least 1 component' },
    ])
  })

  it('names a label without text', () => {
    expect(check({ version: '1', components: COMPONENTS, labels: [{ color: 'red' }] })).toEqual({
      message: undefined,
      problems: [{ field: 'labels[0].text', message: 'is required' }],
    })
  })

  it('answers no message while any problem stands, even one alone', () => {
    expect(check({ version: '1', components: [{ componentId: 'web' }] }).message).toBeUndefined()
    expect(
      check({ version: '1', components: COMPONENTS, labels: [{ color: 'red', text: '' }] }).message,
    ).toBeUndefined()
    expect(check({ version: '', components: COMPONENTS }).message).toBeUndefined()
  })

  it('says what the body was when it is not an object', () => {
    expect(check(undefined).problems).toEqual([
      {
        field: 'body',
        message: 'must be a JSON object {version, components, labels}, got nothing',
      },
    ])
    expect(check(null).problems).toEqual([
      { field: 'body', message: 'must be a JSON object {version, components, labels}, got null' },
    ])
    expect(check('x').problems).toEqual([
      {
        field: 'body',
        message: 'must be a JSON object {version, components, labels}, got a string',
      },
    ])
  })
})
