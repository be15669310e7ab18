import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** One central directory entry as Python's zipfile reads it. */
export interface PythonZipInfo {
  filename: string
  compress_type: number
  external_attr: number
  date_time: [number, number, number, number, number, number]
  extra: string
  comment: string
  flag_bits: number
  create_system: number
  CRC: number
  file_size: number
  compress_size: number
  header_offset: number
  /** The entry's extracted bytes, base64 (empty for folders). */
  data: string
}

const LIST_SCRIPT = `
import base64, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    bad = z.testzip()
    infos = [dict(filename=i.filename, compress_type=i.compress_type, external_attr=i.external_attr,
                  date_time=list(i.date_time), extra=i.extra.hex(), comment=i.comment.decode('latin-1'),
                  flag_bits=i.flag_bits, create_system=i.create_system, CRC=i.CRC, file_size=i.file_size,
                  compress_size=i.compress_size, header_offset=i.header_offset,
                  data='' if i.is_dir() else base64.b64encode(z.read(i)).decode()) for i in z.infolist()]
    print(json.dumps(dict(bad=bad, comment=z.comment.decode('latin-1'), infos=infos)))
`

/** Reads the archive with Python's zipfile: runs testzip() and lists every entry with its bytes. */
export async function pythonInspectZip(
  zipPath: string,
): Promise<{ bad: string | null; comment: string; infos: PythonZipInfo[] }> {
  const { stdout } = await run('python3', ['-c', LIST_SCRIPT, zipPath], { maxBuffer: 256 << 20 })
  return JSON.parse(stdout) as { bad: string | null; comment: string; infos: PythonZipInfo[] }
}

const EXTRACT_SCRIPT = `
import base64, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    print(json.dumps({i.filename: base64.b64encode(z.read(i)).decode() for i in z.infolist() if not i.is_dir()}))
`

/** Every file's bytes as Python's zipfile extracts them (symlinks: the target text). */
export async function pythonReadAll(zipPath: string): Promise<Map<string, Buffer>> {
  const { stdout } = await run('python3', ['-c', EXTRACT_SCRIPT, zipPath], { maxBuffer: 256 << 20 })
  const parsed = JSON.parse(stdout) as Record<string, string>
  return new Map(Object.entries(parsed).map(([name, data]) => [name, Buffer.from(data, 'base64')]))
}

/** Runs `unzip -t`; resolves with its output, rejects when Info-ZIP finds a problem. */
export async function unzipTest(zipPath: string): Promise<string> {
  const { stdout } = await run('unzip', ['-t', zipPath], { maxBuffer: 256 << 20 })
  return stdout
}

/** Extracts with Info-ZIP `unzip` into `into` (which must exist). */
export async function unzipExtract(zipPath: string, into: string): Promise<void> {
  await run('unzip', ['-q', zipPath, '-d', into], { maxBuffer: 256 << 20 })
}
