import { isUtf8 } from 'node:buffer'
import { PackwrightError, quoteInput } from '../errors.js'

/**
 * A printable form of a name that is not valid UTF-8: its valid characters as
 * they are, and each byte that starts no valid character as `\xHH`.
 */
export function showNonUtf8Name(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let shown = ''
  let index = 0
  while (index < buffer.length) {
    // A UTF-8 character is 1 to 4 bytes, and no shorter prefix of it is valid.
    let length = 1
    while (length <= 4 && index + length <= buffer.length) {
      if (isUtf8(buffer.subarray(index, index + length))) break
      length += 1
    }
    if (length <= 4 && index + length <= buffer.length) {
      shown += buffer.toString('utf8', index, index + length)
      index += length
    } else {
      shown += `\\x${(buffer[index] as number).toString(16).padStart(2, '0')}`
      index += 1
    }
  }
  return shown
}

/**
 * The error for a file or folder whose name is not valid UTF-8: a zip cannot
 * store it (entry names are UTF-8) and no pattern can name it, so it is
 * reported whatever the selection would have said. `bytes` is its whole path
 * relative to the source root; `where` names the source.
 */
export function nonUtf8NameError(bytes: Uint8Array, where: string): PackwrightError {
  const shown = showNonUtf8Name(bytes)
  return new PackwrightError(
    'SOURCE_PATH_INVALID',
    `Cannot package ${quoteInput(shown)} from ${where}: its name is not valid UTF-8 (its invalid bytes are shown as \\xHH), so a zip cannot store it and no pattern can name it; expected UTF-8 names.`,
    {
      hint: 'Rename it to a UTF-8 name (for example with `convmv -f latin1 -t utf8 --notest`), or package a folder that does not hold it.',
      details: {
        path: quoteInput(shown),
        pathBytes: Buffer.from(bytes).toString('hex'),
        problem: 'is not valid UTF-8',
      },
    },
  )
}

/**
 * The error for a symlink whose target is not valid UTF-8: decoded, it would
 * point somewhere else, and a zip stores targets as UTF-8 text. Like names
 * that are not UTF-8, it is reported whenever a listing meets it.
 */
export function nonUtf8LinkTargetError(
  path: string,
  target: Uint8Array,
  where: string,
): PackwrightError {
  const shown = showNonUtf8Name(target)
  return new PackwrightError(
    'SOURCE_PATH_INVALID',
    `Cannot package the symlink ${quoteInput(path)} from ${where}: its target ${quoteInput(shown)} is not valid UTF-8 (its invalid bytes are shown as \\xHH), so a zip cannot store it as it is; expected a UTF-8 target.`,
    {
      hint: 'Point the link at a UTF-8 path, or package a folder that does not hold it.',
      details: {
        path: quoteInput(path),
        linkTarget: quoteInput(shown),
        linkTargetBytes: Buffer.from(target).toString('hex'),
        problem: 'has a target that is not valid UTF-8',
      },
    },
  )
}

/**
 * The error for a path a source holds but that is not a usable path inside
 * it (a `..`, `.` or empty segment in a hand-made git tree, for example).
 */
export function unaddressablePathError(
  path: string,
  problem: string,
  where: string,
): PackwrightError {
  return new PackwrightError(
    'SOURCE_PATH_INVALID',
    `Cannot package ${quoteInput(path)} from ${where}: the path ${problem}; expected a relative POSIX path inside the source.`,
    {
      hint: 'The tree was not made by ordinary git commands; rewrite the commit without that entry.',
      details: { path: quoteInput(path), problem },
    },
  )
}

/**
 * The error for a selected file whose path breaks the package path rules
 * (`reason` says which, as the end of a sentence: "contains a control
 * character"). `where` names the source.
 */
export function unpackageableNameError(
  path: string,
  reason: string,
  where: string,
): PackwrightError {
  return new PackwrightError(
    'SOURCE_PATH_INVALID',
    `Cannot package ${quoteInput(path)} from ${where}: its path ${reason}; expected a relative POSIX path of printable characters, without backslashes.`,
    {
      hint: 'Rename it, or leave it out on purpose with an exclude pattern or an ignore file.',
      details: { path: quoteInput(path), problem: reason },
    },
  )
}
