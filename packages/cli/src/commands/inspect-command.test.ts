import { execFileSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runInspectCommand } from './inspect-command.js'

let work: string
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-inspect-command-'))
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

// Writes a zip with Python's zipfile: a plain file, files whose names hold
// `names`, and a symlink whose target holds `target`.
const WRITE_ZIP = `
import json, sys, zipfile
path, names, target = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
with zipfile.ZipFile(path, 'w') as archive:
    archive.writestr('ok.txt', 'fine')
    for name in names:
        archive.writestr(name, 'x')
    link = zipfile.ZipInfo('link')
    link.create_system = 3
    link.external_attr = 0o120777 << 16
    archive.writestr(link, target)
`

async function inspect(names: string[], target: string): Promise<{ code: number; out: string }> {
  const zip = join(work, `${names.length}-${Date.now()}.zip`)
  execFileSync('python3', ['-c', WRITE_ZIP, zip, JSON.stringify(names), JSON.stringify(target)])
  const stdout = new PassThrough()
  const chunks: Buffer[] = []
  stdout.on('data', (chunk: Buffer) => chunks.push(chunk))
  const code = await runInspectCommand([zip], { stdout, stderr: new PassThrough() })
  return { code, out: Buffer.concat(chunks).toString('utf8') }
}

const RAW_CONTROL = /[\p{Cc}\p{Bidi_Control}\u2028\u2029]/u

describe('packwright inspect on names built to fool a terminal', () => {
  it('prints no raw control character, so the INVALID verdict cannot be hidden', async () => {
    const { code, out } = await inspect(
      [
        'a\u001b[2K\u001b[1Averdict: valid.txt',
        'b\u009b2Kc.txt',
        'invoice\u202etxt.exe',
        'line\nverdict: valid',
        'carriage\rreturn.txt',
      ],
      'ok\u001b[2K.txt',
    )
    expect(code).toBe(1)
    // Only the line breaks the report itself writes remain.
    expect(out.replaceAll('\n', '')).not.toMatch(RAW_CONTROL)
    expect(out).toContain('a\\u001b[2K\\u001b[1Averdict: valid.txt')
    expect(out).toContain('b\\u009b2Kc.txt')
    expect(out).toContain('invoice\\u202etxt.exe')
    expect(out).toContain('line\\u000averdict: valid')
    expect(out).toContain('-> ok\\u001b[2K.txt')
    expect(out).toMatch(/^verdict: INVALID \(6 problems\)$/m)
    expect(out).not.toMatch(/^verdict: valid/m)
    expect(out).toContain('[ZIP_ENTRY_PATH_CONTROL_CHARACTER]')
    expect(out).toContain('[ZIP_SYMLINK_TARGET_CONTROL_CHARACTER]')
  })
})
