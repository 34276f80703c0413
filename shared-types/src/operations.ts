import { activityOps } from './activities'
import { bookingOps } from './booking'
import { deliberationOps } from './deliberation'
import type { OperationDef } from './http'
import { identityOps } from './identity'
import { lendingOps } from './lending'
import { meetingOps } from './meeting'
import { needsOps } from './needs'
import { notifyOps } from './notify'
import { pointsOps } from './points'

/** Every operation of the API, by operationId. */
export const operations = {
  ...identityOps,
  ...needsOps,
  ...bookingOps,
  ...notifyOps,
  ...pointsOps,
  ...deliberationOps,
  ...activityOps,
  ...lendingOps,
  ...meetingOps,
} as const satisfies Record<string, OperationDef>

export type Operations = typeof operations
export type OperationId = keyof Operations
