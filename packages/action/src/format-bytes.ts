const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const

/** A byte count for people: `512 B`, `1.5 KiB`, `23.4 MiB`. */
export function formatBytes(bytes: number): string {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit += 1
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${UNITS[unit]}`
}
