import { type ErrorCode, errors } from '@linli/shared-types'

/** A failure with a stable code; the problem middleware turns it into problem+json. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly issues?: { path: (string | number)[]; message: string }[],
    /** Seconds after which a retry may succeed; sent as `Retry-After`. */
    readonly retryAfter?: number,
  ) {
    super(detail ?? errors[code].title)
    this.name = 'AppError'
  }

  get status(): number {
    return errors[this.code].status
  }
}

export const fail = (code: ErrorCode, detail?: string): never => {
  throw new AppError(code, detail)
}

/** Fails about one body field: the client shows `message` under that field, not only as a toast. */
export const failField = (code: ErrorCode, field: string, message: string = errors[code].title): never => {
  throw new AppError(code, message, [{ path: [field], message }])
}

/** Throws NOT_FOUND for a missing record: out-of-scope records answer the same way. */
export function found<T>(value: T | null | undefined, detail?: string): T {
  if (value === null || value === undefined) throw new AppError('NOT_FOUND', detail)
  return value
}
