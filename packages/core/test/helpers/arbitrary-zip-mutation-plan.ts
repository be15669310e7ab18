import fc from 'fast-check'

import { type ZipByteMutation, type ZipLayoutMutation, type ZipMutationPlan } from './mutate-zip.js'

const text = (value: string): Uint8Array => new TextEncoder().encode(value)
const signature = (value: number): Uint8Array => {
  const bytes = new Uint8Array(4)
  new DataView(bytes.buffer).setUint32(0, value, true)
  return bytes
}
/** A plausible empty end-of-central-directory record, to plant a second one. */
const emptyEnd = new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Uint8Array(18)])

/** Bytes worth planting: signatures that confuse scanners, zeros, 0xff runs, random bytes. */
const plantedBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 24 }),
  fc.constantFrom(
    signature(0x04034b50),
    signature(0x02014b50),
    signature(0x06054b50),
    signature(0x08074b50),
    signature(0x06064b50),
    emptyEnd,
    new Uint8Array(4),
    new Uint8Array(30),
    new Uint8Array(8).fill(0xff),
  ),
)

/** Names that are hostile, odd or colliding; a few are valid and ordinary. */
const names: fc.Arbitrary<Uint8Array | undefined> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 2 },
  {
    arbitrary: fc.constantFrom(
      ...[
        'renamed.txt',
        'sub',
        'sub/',
        'SUB/b.bin',
        'a\u0001b',
        'tab\there',
        'new\nline',
        'esc\u001b[31m',
        'del\u007f',
        'c1\u0085',
        'bidi\u202etxt.exe',
        '../up.txt',
        'sub/../../up.txt',
        '/abs.txt',
        'C:/drive.txt',
        'C:drive.txt',
        'back\\slash.txt',
        '..\\up.txt',
        'a//b.txt',
        './dot.txt',
        'sub/./x',
        '.',
        '..',
        '',
        'nul\u0000byte',
        'e\u0301.txt',
        'é.txt',
        'x'.repeat(300),
      ].map(text),
      new Uint8Array([0x82, 0x2e, 0x74]), // CP437 é.t
      new Uint8Array([0xff, 0xfe, 0x41]), // invalid UTF-8
      new Uint8Array([0xc0, 0xaf]), // overlong "/"
    ),
    weight: 6,
  },
  { arbitrary: fc.uint8Array({ minLength: 1, maxLength: 12 }), weight: 1 },
)

/** Version-made-by hosts: MS-DOS, Amiga, Unix, OS/2, Macintosh, NTFS, VFAT, MVS, Acorn, BeOS, Tandem, OS X. */
const hosts = fc.oneof(
  fc.constantFrom(0, 1, 3, 6, 7, 10, 11, 13, 14, 15, 16, 18, 19, 30),
  fc.integer({ min: 0, max: 255 }),
)

const unix = (mode: number): number => (mode << 16) >>> 0
const attributes = fc.oneof(
  fc.constantFrom(
    0,
    0x10, // MS-DOS directory
    0x01, // MS-DOS read-only
    0x20, // MS-DOS archive
    unix(0o100644),
    unix(0o100755),
    unix(0o40755),
    unix(0o40755) | 0x10,
    unix(0o120777),
    unix(0o120777) | 0x10,
    unix(0o100644) | 0x10,
    unix(0o10644), // fifo
    unix(0o20644), // character device
    unix(0o60644), // block device
    unix(0o140755), // socket
    unix(0o104755), // setuid
    unix(0o7777),
    0xffffffff,
  ),
  fc.integer({ min: 0, max: 0xffffffff }),
)

/** Flag bits: encrypted, data descriptor, strong encryption, UTF-8, masked headers, and others. */
const flagBits = fc.constantFrom(0x0001, 0x0002, 0x0008, 0x0020, 0x0040, 0x0800, 0x2000, 0x8000)

const extraIds = fc.oneof(
  fc.constantFrom(0x0001, 0x7075, 0x6375, 0x5455, 0x7875, 0x5855, 0x756e, 0x000a, 0x9901, 0x0000),
  fc.integer({ min: 0, max: 0xffff }),
)

/** Symlink targets and file contents to swap in for an entry's data. */
const dataContents = fc.oneof(
  fc.constantFrom(
    ...[
      '',
      'a.txt',
      'sub/b.bin',
      '../outside',
      'sub/../../outside',
      '/etc/passwd',
      'C:\\Windows',
      '..\\..\\outside',
      'sub\\..\\..\\outside',
      'link',
      '.',
      'nul\u0000target',
      'x'.repeat(5000),
    ].map(text),
  ),
  fc.uint8Array({ maxLength: 64 }),
)

const side = fc.constantFrom('local' as const, 'central' as const, 'both' as const)
const index = fc.nat({ max: 1000 })

const layoutMutation: fc.Arbitrary<ZipLayoutMutation> = fc.oneof(
  fc.record({ kind: fc.constant('duplicate-entry' as const), entry: index }),
  fc.record({ kind: fc.constant('duplicate-central-record' as const), entry: index }),
  fc.record({ kind: fc.constant('drop-central-record' as const), entry: index }),
  fc.record({ kind: fc.constant('drop-entry' as const), entry: index }),
  fc.record({ kind: fc.constant('swap-entries' as const), a: index, b: index }),
  fc.record({ kind: fc.constant('insert-gap' as const), before: index, bytes: plantedBytes }),
  fc.record({ kind: fc.constant('prefix' as const), bytes: plantedBytes }),
  fc.record({ kind: fc.constant('duplicate-extra-fields' as const), entry: index, side }),
  fc.record({
    kind: fc.constant('add-extra-field' as const),
    entry: index,
    side,
    id: extraIds,
    data: fc.uint8Array({ maxLength: 28 }),
    first: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('add-unicode-path' as const),
    entry: index,
    name: names.map((name) => name ?? text('unicode-path.txt')),
  }),
  fc.record({ kind: fc.constant('rename' as const), entry: index, side, name: names }),
  fc.record({
    kind: fc.constant('set-attributes' as const),
    entry: index,
    host: hosts,
    attributes,
  }),
  fc.record({
    kind: fc.constant('set-flags' as const),
    entry: index,
    side,
    set: fc.oneof(flagBits, fc.constant(0)),
    clear: fc.oneof(flagBits, fc.constant(0)),
  }),
  fc.record({ kind: fc.constant('replace-data' as const), entry: index, data: dataContents }),
)

const fieldValue = fc.oneof(
  fc.constantFrom(
    0n,
    1n,
    0x7fn,
    0x80n,
    0xffn,
    0xffffn,
    0x7fffffffn,
    0x80000000n,
    0xfffffffen,
    0xffffffffn,
    0x100000000n,
    0x20000000000000n,
    0xffffffffffffffffn,
  ),
  fc.bigInt({ min: 0n, max: 0xffffffffffffffffn }),
)
const delta = fc.oneof(
  fc.constantFrom(-46, -30, -22, -12, -4, -1, 1, 4, 12, 16, 22, 30, 46),
  fc.integer({ min: -300, max: 300 }),
)
const position = fc.nat({ max: 1 << 20 })

const byteMutation: fc.Arbitrary<ZipByteMutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip-bit' as const), position, bit: fc.nat({ max: 7 }) }),
  {
    arbitrary: fc.record({
      kind: fc.constant('set-field' as const),
      field: index,
      value: fieldValue,
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('shift-field' as const), field: index, delta }),
    weight: 2,
  },
  fc.record({ kind: fc.constant('overwrite-bytes' as const), position, bytes: plantedBytes }),
  fc.record({ kind: fc.constant('insert-bytes' as const), position, bytes: plantedBytes }),
  fc.record({
    kind: fc.constant('delete-bytes' as const),
    position,
    length: fc.integer({ min: 1, max: 64 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), keep: position }),
  fc.record({ kind: fc.constant('append' as const), bytes: plantedBytes }),
  fc.record({
    kind: fc.constant('append-copy-of-tail' as const),
    length: fc.constantFrom(22, 42, 98, 200, 1000),
  }),
)

/** One to three mutations of a zip: layout changes (offsets fixed up), then byte changes (nothing fixed up). */
export function arbitraryZipMutationPlan(): fc.Arbitrary<ZipMutationPlan> {
  return fc
    .record({
      layout: fc.array(layoutMutation, { maxLength: 2 }),
      bytes: fc.array(byteMutation, { maxLength: 2 }),
    })
    .filter((plan) => plan.layout.length + plan.bytes.length > 0)
}
