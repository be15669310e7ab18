import { RESOURCE_CHECKSUM_MISMATCH_MESSAGE } from './assembly-failure.js'

/** The v3 error object a FAILED upload job reports for the package's `data.error`. */
export function jobErrorFor(message: string): { detail: string; title: string; code: number } {
  if (message === RESOURCE_CHECKSUM_MISMATCH_MESSAGE)
    return { detail: message, title: 'CF-ResourceChecksumMismatch', code: 150010 }
  if (message.startsWith('The app package is invalid: '))
    return { detail: message, title: 'CF-AppPackageInvalid', code: 150001 }
  if (message.startsWith('The app upload is invalid: '))
    return { detail: message, title: 'CF-AppBitsUploadInvalid', code: 160001 }
  if (message.startsWith('The resource file mode is invalid: '))
    return { detail: message, title: 'CF-AppResourcesFileModeInvalid', code: 160003 }
  if (message.startsWith('The resource file path is invalid: '))
    return { detail: message, title: 'CF-AppResourcesFilePathInvalid', code: 160004 }
  return { detail: message, title: 'CF-UnknownError', code: 10001 }
}
