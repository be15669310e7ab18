import * as core from '@actions/core'
import { type Logger } from '@packwright/core'

/** Core's logger, writing to the job log (`debug` shows only with step debug logging on). */
export function createActionsLogger(): Logger {
  return {
    debug: (message) => core.debug(message),
    info: (message) => core.info(message),
    warn: (message) => core.warning(message),
  }
}
