import { activityOps } from './activities'
import { bookingOps } from './booking'
import { cockpitOps } from './cockpit'
import { deliberationOps } from './deliberation'
import { familyOps } from './family'
import { gridOps } from './grid'
import type { OperationDef } from './http'
import { identityOps } from './identity'
import { lendingOps } from './lending'
import { meetingOps } from './meeting'
import { needsOps } from './needs'
import { noticeOps } from './notices'
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
  ...gridOps,
  ...noticeOps,
  ...familyOps,
  ...cockpitOps,
} as const satisfies Record<string, OperationDef>

export type Operations = typeof operations
export type OperationId = keyof Operations
