/**
 * A streaming zip reader as a second opinion: Java's `ZipInputStream`, which
 * reads local headers one after the other from byte 0 and never looks at the
 * central directory (as upload scanners and stream extractors do). A zip in
 * which it finds other entries than the central directory lists hides
 * something from one kind of reader or the other.
 *
 * One JVM serves every request of a test file: it reads zip paths on stdin
 * and answers one line each.
 *
 * @module
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

/** What the streaming reader found: entry names in the order met, or why it stopped. */
export interface StreamedZip {
  readonly names: readonly string[]
  /** Set when the reader failed part-way (bad header, CRC, unsupported layout…). */
  readonly error: string | undefined
}

export interface StreamingZipLister {
  list(zipPath: string): Promise<StreamedZip>
  close(): Promise<void>
}

// Answers each path on stdin with one line: "OK" or "ERR <base64 message>",
// then the base64 UTF-8 names, space-separated. Reading each entry to its end
// makes ZipInputStream check sizes and CRC and find the next local header.
const LISTER_SOURCE = `
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.util.*;
import java.util.zip.*;

public class StreamingZipLister {
  static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  public static void main(String[] args) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8");
    byte[] buffer = new byte[65536];
    for (String path; (path = in.readLine()) != null; ) {
      List<String> names = new ArrayList<>();
      String error = null;
      try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(new FileInputStream(path)))) {
        for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
          names.add(entry.getName());
          while (zip.read(buffer) >= 0) { }
        }
      } catch (Exception failure) {
        error = failure.getClass().getSimpleName() + ": " + failure.getMessage();
      }
      StringBuilder line = new StringBuilder(error == null ? "OK" : "ERR " + b64(error));
      for (String name : names) line.append(' ').append(b64(name));
      out.println(line);
    }
  }
}
`

/** Starts the JVM (compiling the lister from source in `scratchDir`); close it when done. */
export async function startStreamingZipLister(scratchDir: string): Promise<StreamingZipLister> {
  const source = join(scratchDir, 'StreamingZipLister.java')
  await writeFile(source, LISTER_SOURCE)
  const child: ChildProcessWithoutNullStreams = spawn('java', ['-Xshare:auto', source], {
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = `${stderr}${chunk.toString('utf8')}`.slice(-4000)
  })
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  let queue = Promise.resolve()

  const ask = async (zipPath: string): Promise<StreamedZip> => {
    child.stdin.write(`${zipPath}\n`)
    const next: IteratorResult<string, unknown> = await lines.next()
    const value = next.done === true ? undefined : next.value
    if (value === undefined) throw new Error(`the streaming zip lister stopped: ${stderr}`)
    const [status = '', ...fields] = value.split(' ')
    const decode = (text: string): string => Buffer.from(text, 'base64').toString('utf8')
    if (status === 'OK') return { names: fields.map(decode), error: undefined }
    const [message = '', ...names] = fields
    return { names: names.map(decode), error: decode(message) }
  }

  return {
    list(zipPath) {
      // One request at a time: answers come back in order on one stream.
      const answer = queue.then(() => ask(zipPath))
      queue = answer.then(
        () => undefined,
        () => undefined,
      )
      return answer
    },
    async close() {
      child.stdin.end()
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) resolve()
        else child.once('exit', () => resolve())
      })
    },
  }
}
