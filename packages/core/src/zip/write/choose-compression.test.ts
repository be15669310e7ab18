import { describe, expect, it } from 'vitest'
import { chooseCompression } from './choose-compression.js'

describe('chooseCompression', () => {
  it('tries deflate for ordinary files', () => {
    expect(chooseCompression('src/index.ts', 100, 6)).toBe('deflate')
    expect(chooseCompression('Makefile', 100, 6)).toBe('deflate')
    expect(chooseCompression('.gitignore', 100, 6)).toBe('deflate')
  })

  it('stores already-compressed formats, whatever the case of the extension', () => {
    for (const path of ['a/b.zip', 'logo.PNG', 'photo.jpeg', 'x.tar.gz', 'font.woff2', 'lib.jar']) {
      expect(chooseCompression(path, 100, 6)).toBe('store')
    }
  })

  it('looks at the file name only, not the folders', () => {
    expect(chooseCompression('assets.zip/readme.txt', 100, 6)).toBe('deflate')
  })

  it('stores empty files and everything at level 0', () => {
    expect(chooseCompression('a.txt', 0, 6)).toBe('store')
    expect(chooseCompression('a.txt', 100, 0)).toBe('store')
  })
})
