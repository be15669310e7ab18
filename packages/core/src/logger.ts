/** Where core reports decisions and counts. Core never writes to the console itself. */
export interface Logger {
  debug(message: string): void
  info(message: string): void
  warn(message: string): void
}

export const noopLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
}
