#!/usr/bin/env node
// Packages a folder with @packwright/core's writer directly. The benchmark
// uses it when the CLI (`packwright generate`) is not built yet; it prints the
// same kind of JSON summary. Usage: node package-directory.mjs <dir> <out.zip>
/* global Buffer, process */
import { createReadStream, lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs'
import { join } from 'node:path'

// Listing uses the synchronous calls too: this script only plans and writes.

/**
 * A plain folder reader. Small files are read synchronously: one read costs
 * a few microseconds that way, against tens through the promise API, and the
 * writer's CPU work happens on worker threads anyway.
 */
function folderReader(root) {
  return {
    description: `folder ${root}`,
    sourceDateEpoch: undefined,
    open: (path) => createReadStream(join(root, path)),
    readBytes: async (path) => readFileSync(join(root, path)),
    list: () => Promise.reject(new Error('not needed')),
    stat: () => Promise.reject(new Error('not needed')),
    close: () => Promise.resolve(),
  }
}

/**
 * Lists the folder one directory at a time (names only, then lstat), so a
 * tree of many files costs its planned entries and little garbage besides.
 */
function planFolder(root) {
  const entries = []
  const folders = ['']
  while (folders.length > 0) {
    const folder = folders.pop()
    for (const name of readdirSync(folder === '' ? root : join(root, folder))) {
      const path = folder === '' ? name : `${folder}/${name}`
      const full = join(root, path)
      const stats = lstatSync(full)
      if (stats.isDirectory()) {
        folders.push(path)
      } else if (stats.isSymbolicLink()) {
        const target = readlinkSync(full)
        entries.push({
          zipPath: path,
          sourcePath: path,
          kind: 'symlink',
          size: Buffer.byteLength(target),
          executable: false,
          linkTarget: target,
        })
      } else if (stats.isFile()) {
        entries.push({
          zipPath: path,
          sourcePath: path,
          kind: 'file',
          size: stats.size,
          executable: (stats.mode & 0o111) !== 0,
        })
      }
    }
  }
  return entries
}

const [root, outFile] = process.argv.slice(2)
if (root === undefined || outFile === undefined) {
  process.stderr.write('usage: node package-directory.mjs <dir> <out.zip>\n')
  process.exit(2)
}
const { writeDeterministicZip } = await import('../packages/core/dist/index.js')
const entries = planFolder(root.replace(/\/+$/, ''))
const written = await writeDeterministicZip({
  entries,
  reader: folderReader(root.replace(/\/+$/, '')),
  outFile,
})
process.stdout.write(
  `${JSON.stringify({ path: written.path, sha256: written.sha256, size: written.size, fileCount: written.fileCount })}\n`,
)
