/**
 * `length` bytes that deflate cannot shrink: a fixed pseudo-random sequence,
 * the same on every run and machine.
 */
export function incompressibleBytes(length: number): Buffer {
  const bytes = Buffer.alloc(length)
  let state = 12345
  for (let at = 0; at < length; at++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0
    bytes[at] = state >>> 24
  }
  return bytes
}
