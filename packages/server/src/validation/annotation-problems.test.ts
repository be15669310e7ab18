import { describe, expect, it } from 'vitest'
import { annotationProblems } from './annotation-problems.js'

describe('annotationProblems', () => {
  it('shows a key of up to 100 characters whole, and only the opening of a longer one', () => {
    const hundred = `bad key${'x'.repeat(93)}`
    expect(annotationProblems({ [hundred]: 'v' })).toEqual([
      `Metadata annotation key error: '${hundred}' contains invalid characters`,
    ])
    expect(annotationProblems({ [`${hundred}x`]: 'v' })).toEqual([
      "Metadata annotation key error: 'bad keyx...' contains invalid characters",
    ])
  })

  it('needs every label of a prefix to be a DNS label', () => {
    expect(annotationProblems({ 'good.bad_label/name': 'v' })).toEqual([
      "Metadata annotation key error: prefix 'good.bad_label' must be in valid dns format",
    ])
    expect(annotationProblems({ 'a.b-c.d/name': 'v', 'x.y./name': 'v' })).toEqual([
      "Metadata annotation key error: prefix 'x.y.' must be in valid dns format",
    ])
  })

  it('takes 200 annotations and refuses 201', () => {
    const annotations = (count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, index) => [`k${index}`, 'v']))
    expect(annotationProblems(annotations(200))).toEqual([])
    expect(annotationProblems(annotations(201))).toEqual([
      'Metadata annotations: 201 given, which would exceed maximum of 200',
    ])
  })

  it('counts characters, not UTF-16 units, against the 63 and 5000 limits', () => {
    expect(annotationProblems({ ['n'.repeat(63)]: '😀'.repeat(5000) })).toEqual([])
    expect(annotationProblems({ note: '😀'.repeat(5001) })).toEqual([
      `Metadata annotation value error: '${'😀'.repeat(8)}...' is greater than 5000 characters`,
    ])
  })
})
