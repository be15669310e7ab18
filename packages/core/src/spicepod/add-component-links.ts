import { addDirectLink } from './add-direct-link.js'
import { type SpicepodErrorDetails } from './spicepod-error.js'
import { type SpicepodPlanContext } from './spicepod-plan-context.js'

/** `details.field` extended with `key` (`datasets[0]` → `datasets[0].from`; none → `from`). */
function subField(field: string | undefined, key: string): string {
  return field === undefined || field === '' ? key : `${field}.${key}`
}

/**
 * Plans the files a dataset or view component links, resolved from `folder`:
 * a dataset's `from` when it is `file:…`, a view's `sql_ref`. Other sources
 * (`s3://`, inline `sql`, …) link nothing.
 *
 * @throws PackwrightError as {@link addDirectLink} does.
 */
export async function addComponentLinks(
  context: SpicepodPlanContext,
  section: 'datasets' | 'views',
  component: Record<string, unknown>,
  details: SpicepodErrorDetails,
  folder: string,
): Promise<void> {
  if (section === 'datasets') {
    const from = component.from
    if (typeof from === 'string' && from.startsWith('file:')) {
      const field = subField(details.field, 'from')
      await addDirectLink(context, from, 'file', { ...details, field }, folder)
    }
    return
  }
  const sqlRef = component.sql_ref
  if (typeof sqlRef === 'string') {
    const field = subField(details.field, 'sql_ref')
    await addDirectLink(context, sqlRef, 'sql_ref', { ...details, field }, folder)
  }
}
