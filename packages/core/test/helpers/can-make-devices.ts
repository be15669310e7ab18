import { execFileSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Whether this process may make device files (root on Linux), probed once with `mknod`. */
export function canMakeDevices(): boolean {
  const probe = join(tmpdir(), `packwright-mknod-probe-${process.pid}`)
  try {
    execFileSync('mknod', [probe, 'b', '7', '0'], { stdio: 'ignore' })
    execFileSync('rm', ['-f', probe])
    return true
  } catch {
    return false
  }
}
