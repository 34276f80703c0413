import { bookingOps } from './booking'
import { deliberationOps } from './deliberation'
import type { OperationDef } from './http'
import { identityOps } from './identity'
import { meetingOps } from './meeting'
import { needsOps } from './needs'
import { notifyOps } from './notify'
import { pointsOps } from './points'
import { privacyOps } from './privacy'

/** Every operation of the API, by operationId. */
export const operations = {
  ...identityOps,
  ...needsOps,
  ...bookingOps,
  ...notifyOps,
  ...pointsOps,
  ...deliberationOps,
  ...meetingOps,
  ...privacyOps,
} as const satisfies Record<string, OperationDef>

export type Operations = typeof operations
export type OperationId = keyof Operations
