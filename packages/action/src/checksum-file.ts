/**
 * The checksum file published next to a package, in the `sha256sum` format
 * (digest, two spaces, file name), so `sha256sum -c <name>.sha256` checks it.
 */
export function checksumFileText(sha256: string, fileName: string): string {
  return `${sha256}  ${fileName}\n`
}
