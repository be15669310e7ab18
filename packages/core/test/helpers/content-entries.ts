import { createHash } from 'node:crypto'

import type { ContentEntry } from '../../src/manifest/content-manifest.js'

/** The sha256 of a text, in hex. */
export const sha256Of = (text: string): string => createHash('sha256').update(text).digest('hex')

/** A content entry for a file holding `content`. */
export const contentFile = (path: string, content: string, mode = '644'): ContentEntry => ({
  path,
  kind: 'file',
  mode,
  size: Buffer.byteLength(content),
  sha256: sha256Of(content),
})

/** A content entry for a symlink to `target`. */
export const contentLink = (path: string, target: string): ContentEntry => ({
  path,
  kind: 'symlink',
  mode: '777',
  size: Buffer.byteLength(target),
  sha256: sha256Of(target),
  linkTarget: target,
})
