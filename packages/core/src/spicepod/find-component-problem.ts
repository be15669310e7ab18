/**
 * "Enough" of Spice's component schema to reproduce its parse failures: the
 * required keys, string typing of the keys packaging depends on, and the
 * strict key allow-lists of datasets and their `acceleration`.
 *
 * @module
 */

import { isMapping } from './is-mapping.js'

/**
 * Keys a dataset may have: the union over Spice 1.x and 2.x (datasets are
 * strict, so an unknown key fails the whole item, as in Spice).
 */
export const DATASET_KEYS: readonly string[] = [
  'from',
  'name',
  'description',
  'metadata',
  'columns',
  'mode',
  'access',
  'params',
  'has_metadata_table',
  'replication',
  'time_column',
  'time_format',
  'time_partition_column',
  'time_partition_format',
  'acceleration',
  'embeddings',
  'dependsOn',
  'invalid_type_action',
  'unsupported_type_action',
  'ready_state',
  'metrics',
  'vectors',
  'full_text_search',
  'check_availability',
]

/** Keys a dataset's `acceleration` may have (strict in Spice too); the union over Spice 1.x and 2.x. */
export const ACCELERATION_KEYS: readonly string[] = [
  'enabled',
  'mode',
  'engine',
  'refresh_mode',
  'refresh_on_startup',
  'refresh_check_interval',
  'refresh_cron',
  'refresh_sql',
  'refresh_data_window',
  'refresh_append_overlap',
  'refresh_retry_enabled',
  'refresh_retry_max_attempts',
  'refresh_jitter_enabled',
  'refresh_jitter_max',
  'params',
  'retention_period',
  'retention_sql',
  'retention_check_interval',
  'retention_check_enabled',
  'on_zero_results',
  'ready_state',
  'indexes',
  'primary_key',
  'on_conflict',
  'metrics',
  'partition_by',
  'caching_ttl',
  'caching_stale_while_revalidate_ttl',
  'caching_stale_if_error',
  'caching_max_size',
  'caching_max_items',
  'maintained_aggregates',
  'write_mode',
  'storage_profile',
  'disable_federation',
  'snapshots',
  'snapshots_trigger',
  'snapshots_trigger_threshold',
  'snapshots_compaction',
  'snapshots_reset_expiry_on_load',
  'snapshots_creation_policy',
]

const DATASET_KEY_SET = new Set(DATASET_KEYS)
const ACCELERATION_KEY_SET = new Set(ACCELERATION_KEYS)

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  return `${typeof value} ${JSON.stringify(value).slice(0, 60)}`
}

function quoteKey(key: string): string {
  const shown = key.length > 60 ? `${key.slice(0, 60)}…` : key
  return `\`${shown}\``
}

/** The problem with an optional string key, or undefined. */
export function stringKeyProblem(
  item: Record<string, unknown>,
  key: string,
  required: boolean,
): string | undefined {
  if (!(key in item) || item[key] === undefined)
    return required ? `missing field \`${key}\`` : undefined
  const value = item[key]
  if (typeof value !== 'string') return `\`${key}\` must be a string, but it is ${describe(value)}`
  return undefined
}

function unknownKeyProblem(
  item: Record<string, unknown>,
  allowed: ReadonlySet<string>,
  list: readonly string[],
): string | undefined {
  const unknown = Object.keys(item).find((key) => !allowed.has(key))
  if (unknown === undefined) return undefined
  return `unknown field ${quoteKey(unknown)}; expected one of ${list.map((key) => `\`${key}\``).join(', ')}`
}

/** Why `value` is not a valid dataset (relative field names), or undefined when it is. */
export function findDatasetProblem(value: unknown): string | undefined {
  if (!isMapping(value)) return `expected a mapping, but it is ${describe(value)}`
  const unknown = unknownKeyProblem(value, DATASET_KEY_SET, DATASET_KEYS)
  if (unknown !== undefined) return unknown
  const problem = stringKeyProblem(value, 'name', true) ?? stringKeyProblem(value, 'from', false)
  if (problem !== undefined) return problem
  const acceleration = value.acceleration
  if (acceleration !== undefined && acceleration !== null) {
    if (!isMapping(acceleration)) {
      return `\`acceleration\` must be a mapping, but it is ${describe(acceleration)}`
    }
    const inner = unknownKeyProblem(acceleration, ACCELERATION_KEY_SET, ACCELERATION_KEYS)
    if (inner !== undefined) return `acceleration: ${inner}`
  }
  return undefined
}

/** Why `value` is not a valid view, or undefined when it is (views are not strict). */
export function findViewProblem(value: unknown): string | undefined {
  if (!isMapping(value)) return `expected a mapping, but it is ${describe(value)}`
  return (
    stringKeyProblem(value, 'name', true) ??
    stringKeyProblem(value, 'sql_ref', false) ??
    stringKeyProblem(value, 'sql', false)
  )
}

/** Why `value` is not a catalog, model, embeddings or tool (they need `from` and `name`). */
export function findNamedComponentProblem(value: unknown): string | undefined {
  if (!isMapping(value)) return `expected a mapping, but it is ${describe(value)}`
  return stringKeyProblem(value, 'from', true) ?? stringKeyProblem(value, 'name', true)
}
