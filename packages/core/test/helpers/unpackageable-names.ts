import { quoteInput } from '../../src/errors.js'

/** A file name the package path rules refuse, of one class of characters. */
export interface UnpackageableName {
  /** What is in it, for test titles. */
  readonly label: string
  /** A folder name to keep the case apart from the others. */
  readonly folder: string
  /** The name's bytes on disk or in a git tree. */
  readonly bytes: Buffer
  /** The name as error messages show it before quoting (bytes that are not UTF-8 as `\xHH`). */
  readonly shown: string
}

/** How an error message quotes `shown` inside `folder` (`''`: at the root). */
export function quotedName(name: UnpackageableName, folder = ''): string {
  return quoteInput(folder === '' ? name.shown : `${folder}/${name.shown}`)
}

function textName(label: string, folder: string, name: string): UnpackageableName {
  return { label, folder, bytes: Buffer.from(name), shown: name }
}

/**
 * One name per class a package cannot hold: C0 controls (newline, CR, tab,
 * ESC), DEL, C1 controls, a bidi override, a backslash, and bytes that are
 * not UTF-8 (shown as `\xff`).
 */
export const UNPACKAGEABLE_NAMES: readonly UnpackageableName[] = [
  textName('a newline', 'newline', 'a\nb.txt'),
  textName('a carriage return', 'cr', 'a\rb.txt'),
  textName('a tab', 'tab', 'a\tb.txt'),
  textName('an ESC sequence', 'esc', 'a\u001b[2Kb.txt'),
  textName('DEL', 'del', 'a\u007fb.txt'),
  textName('C1 NEL (U+0085)', 'nel', 'a\u0085b.txt'),
  textName('C1 CSI (U+009B)', 'csi', 'a\u009b2Kb.txt'),
  textName('a bidi override (U+202E)', 'rlo', 'a\u202etxt.exe'),
  textName('a backslash', 'backslash', 'a\\b.txt'),
  {
    label: 'bytes that are not UTF-8',
    folder: 'latin1',
    bytes: Buffer.from([0x61, 0xff, 0x62, 0x2e, 0x74, 0x78, 0x74]),
    shown: 'a\\xffb.txt',
  },
]
