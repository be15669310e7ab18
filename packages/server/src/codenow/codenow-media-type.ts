/** The media type of every CodeNOW request and answer body. */
export const CODENOW_MEDIA_TYPE = 'application/vnd.codenow.v1+json'

/** The header carrying a CodeNOW API key. */
export const CODENOW_API_KEY_HEADER = 'x-codenow-api-key'
