import { describe, expect, it } from 'vitest'
import { chooseCompression } from './choose-compression.js'

describe('chooseCompression on dot files', () => {
  it('deflates a name that only starts with a dot, at the root or in a folder', () => {
    expect(chooseCompression('.png', 10, 6)).toBe('deflate')
    expect(chooseCompression('assets/.gz', 10, 6)).toBe('deflate')
  })

  it('reads the extension of the file name, not of its folder', () => {
    expect(chooseCompression('photos.zip/readme', 10, 6)).toBe('deflate')
    expect(chooseCompression('docs.v2/cover.JPG', 10, 6)).toBe('store')
  })
})
