#!/usr/bin/env node
// Packages a folder with archiver 8 (zlib level 6), for comparison in the
// benchmark. Usage: node archiver-directory.mjs <dir> <out.zip>
/* global process */
import { createWriteStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { ZipArchive } from 'archiver'

const [root, outFile] = process.argv.slice(2)
const archive = new ZipArchive({ zlib: { level: 6 } })
archive.directory(root, false)
const writing = pipeline(archive, createWriteStream(outFile))
await archive.finalize()
await writing
