/**
 * Extensions of formats that are already compressed: deflating them again
 * costs time and saves nothing, so they are always stored.
 */
export const COMPRESSED_EXTENSIONS: ReadonlySet<string> = new Set(
  [
    // archives and compressed streams
    '7z apk br bz2 cab deb ear gz ipa jar lz lz4 lzma nupkg rar rpm tbz tbz2 tgz txz war whl xz z zip zst',
    // images
    'avif gif heic heif jpeg jpg jxl png webp',
    // audio and video
    'aac flac m4a m4v mkv mov mp3 mp4 ogg opus webm',
    // fonts and office documents (zip containers)
    'docx epub odp ods odt pptx woff woff2 xlsx',
  ]
    .join(' ')
    .split(' '),
)

/** How an entry's content is written: stored as is, or deflate attempted. */
export type CompressionChoice = 'store' | 'deflate'

/**
 * Decides, from the entry's path, size and the compression level only, whether
 * to store it or to try deflate (which still falls back to store when it does
 * not make the content smaller). Level 0, empty content and already
 * compressed formats (by extension, case-insensitive) are stored.
 */
export function chooseCompression(path: string, size: number, level: number): CompressionChoice {
  if (level === 0 || size === 0) return 'store'
  const name = path.slice(path.lastIndexOf('/') + 1)
  const dot = name.lastIndexOf('.')
  if (dot <= 0) return 'deflate'
  return COMPRESSED_EXTENSIONS.has(name.slice(dot + 1).toLowerCase()) ? 'store' : 'deflate'
}
