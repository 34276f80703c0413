import type { OperationDef } from './http'
import { identityOps } from './identity'

/** Every operation of the API, by operationId. */
export const operations = {
  ...identityOps,
} as const satisfies Record<string, OperationDef>

export type Operations = typeof operations
export type OperationId = keyof Operations
