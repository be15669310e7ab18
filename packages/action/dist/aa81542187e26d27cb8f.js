/**
 * The CPU work of the zip writer, and the module its worker threads run.
 *
 * The writer runs {@link createEntryJobProcessor} on the calling thread for
 * small archives; for larger ones it starts this very file as a worker
 * thread, which then serves jobs from its parent. So both produce identical
 * bytes. The file imports nothing but Node's own modules: it is copied as it
 * is next to a bundle (ncc), where it must run on its own.
 *
 * @module
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import * as zlib from 'node:zlib';
/** Bytes of one entry's digests in {@link FilesJobResult.digests}: SHA-1 (20) then SHA-256 (32). */
export const DIGESTS_BYTES = 52;
/** Where the SHA-256 starts within an entry's digests. */
export const SHA256_OFFSET = 20;
/**
 * Creates the function that does the CPU work of the writer: CRC-32, SHA-1,
 * SHA-256 and deflate, in one pass over each piece of content.
 *
 * Deflate is pigz-style: an entry is cut at `probeSize` and then every
 * `chunkSize` bytes; each piece is raw-deflated at `level` with the previous
 * `dictionarySize` bytes as its dictionary and ends with a sync flush (the
 * last with finish), and the pieces are concatenated into one valid stream.
 * When the first piece does not shrink, or the whole result is not smaller
 * than the content, the entry is stored instead.
 */
export function createEntryJobProcessor(layout) {
    const openFlags = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);
    // One byte past the planned end: a read there must find the end of the file.
    const pastEnd = new Uint8Array(1);
    /** What is wrong with an open file that did not hold exactly the planned bytes. */
    const unexpectedFile = (fd, readSize) => {
        const stats = fs.fstatSync(fd);
        if (!stats.isFile())
            return { message: 'it is no longer a regular file' };
        // A file that changed size while it was read: at least what was found.
        return { actualSize: Math.max(stats.size, readSize) };
    };
    /**
     * Reads a whole regular file (never through a final symlink) into
     * `target`, which is its planned size. The planned size is checked by
     * reading, not by a `stat` call: the bytes that fill `target` and then an
     * end of file. Only a file that fails that is examined further.
     */
    const readInto = (path, target) => {
        let fd;
        try {
            fd = fs.openSync(path, openFlags);
        }
        catch (error) {
            return { message: error instanceof Error ? error.message : String(error) };
        }
        try {
            let filled = 0;
            while (filled < target.length) {
                const read = fs.readSync(fd, target, filled, target.length - filled, null);
                if (read === 0)
                    return unexpectedFile(fd, filled);
                filled += read;
            }
            if (fs.readSync(fd, pastEnd, 0, 1, null) !== 0)
                return unexpectedFile(fd, filled + 1);
            return undefined;
        }
        catch (error) {
            // A folder opens like a file, and fails when it is read.
            if (error.code === 'EISDIR') {
                return { message: 'it is no longer a regular file' };
            }
            return { message: error instanceof Error ? error.message : String(error) };
        }
        finally {
            fs.closeSync(fd);
        }
    };
    const { level, probeSize, chunkSize, dictionarySize } = layout;
    // zlib's output space: room for the worst case (zlib's deflateBound plus the
    // flush marker), so zlib fills one buffer instead of many small ones that
    // stay behind as garbage until the next collection. Never changes the bytes.
    const outputSpace = (length) => Math.max(64, length + (length >> 12) + (length >> 14) + (length >> 25) + 64);
    const deflatePiece = (data, dictionary, final) => zlib.deflateRawSync(data, {
        level,
        chunkSize: outputSpace(data.length),
        finishFlush: final ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH,
        ...(dictionary === undefined ? {} : { dictionary }),
    });
    /** The deflated content, or undefined when storing is not larger. */
    const deflateWhole = (content) => {
        if (content.length <= probeSize) {
            const whole = deflatePiece(content, undefined, true);
            return whole.length < content.length ? [whole] : undefined;
        }
        const probe = deflatePiece(content.subarray(0, probeSize), undefined, false);
        if (probe.length >= probeSize)
            return undefined;
        const pieces = [probe];
        let total = probe.length;
        for (let start = probeSize; start < content.length; start += chunkSize) {
            const end = Math.min(start + chunkSize, content.length);
            const dictionary = content.subarray(Math.max(0, start - dictionarySize), start);
            const piece = deflatePiece(content.subarray(start, end), dictionary, end === content.length);
            pieces.push(piece);
            total += piece.length;
        }
        return total < content.length ? pieces : undefined;
    };
    const processFiles = (job) => {
        const readFailures = [];
        if (job.readFrom !== undefined) {
            let at = 0;
            job.lengths.forEach((length, index) => {
                const path = job.readFrom?.[index] ?? null;
                if (path !== null) {
                    const failure = readInto(path, job.data.subarray(at, at + length));
                    if (failure !== undefined)
                        readFailures.push({ index, ...failure });
                }
                at += length;
            });
        }
        if (readFailures.length > 0) {
            return {
                kind: 'files',
                data: job.data,
                output: job.output?.subarray(0, 0) ?? new Uint8Array(0),
                crc32: new Uint32Array(0),
                digests: new Uint8Array(0),
                deflatedLengths: [],
                readFailures,
            };
        }
        const crc32 = new Uint32Array(job.lengths.length);
        const digests = new Uint8Array(job.lengths.length * DIGESTS_BYTES);
        const deflatedLengths = [];
        const outputs = [];
        let outputLength = 0;
        let start = 0;
        job.lengths.forEach((length, index) => {
            const content = job.data.subarray(start, start + length);
            start += length;
            crc32[index] = zlib.crc32(content);
            const at = index * DIGESTS_BYTES;
            digests.set(crypto.hash('sha1', content, 'buffer'), at);
            digests.set(crypto.hash('sha256', content, 'buffer'), at + SHA256_OFFSET);
            const pieces = job.deflate[index] === true ? deflateWhole(content) : undefined;
            if (pieces === undefined) {
                deflatedLengths.push(-1);
                return;
            }
            let deflatedLength = 0;
            for (const piece of pieces) {
                outputs.push(piece);
                deflatedLength += piece.length;
            }
            deflatedLengths.push(deflatedLength);
            outputLength += deflatedLength;
        });
        // Given or fresh memory, so it can be transferred without taking zlib's buffers along.
        const output = job.output !== undefined && job.output.length >= outputLength
            ? job.output.subarray(0, outputLength)
            : new Uint8Array(outputLength);
        let at = 0;
        for (const piece of outputs) {
            output.set(piece, at);
            at += piece.length;
        }
        return {
            kind: 'files',
            data: job.data,
            output,
            crc32,
            digests,
            deflatedLengths,
            readFailures,
        };
    };
    const processChunk = (job) => {
        const deflated = deflatePiece(job.data, job.dictionary, job.final);
        if (job.output !== undefined && job.output.length >= deflated.length) {
            job.output.set(deflated);
            return { kind: 'chunk', data: job.data, output: job.output.subarray(0, deflated.length) };
        }
        // Moved to the other thread as is when it owns its memory; copied out of a shared pool otherwise.
        const owned = deflated.byteOffset === 0 && deflated.byteLength === deflated.buffer.byteLength;
        return { kind: 'chunk', data: job.data, output: owned ? deflated : new Uint8Array(deflated) };
    };
    return (job) => (job.kind === 'files' ? processFiles(job) : processChunk(job));
}
function serveEntryJobs(port, layout) {
    const run = createEntryJobProcessor(layout);
    port.on('message', ({ id, job }) => {
        let result;
        try {
            result = run(job);
        }
        catch (error) {
            const reply = {
                id,
                error: error instanceof Error ? error.message : String(error),
            };
            port.postMessage(reply);
            return;
        }
        // The input goes back with the output, so the calling thread can reuse its buffer.
        const transfer = [result.output.buffer];
        if (result.data.buffer !== result.output.buffer)
            transfer.push(result.data.buffer);
        const reply = { id, result };
        port.postMessage(reply, transfer);
    });
}
const started = workerData;
if (!isMainThread && parentPort !== null && started?.entryJobWorker !== undefined) {
    serveEntryJobs(parentPort, started.entryJobWorker);
}
//# sourceMappingURL=entry-job-processor.js.map