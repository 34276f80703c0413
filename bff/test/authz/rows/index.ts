import type { Rows } from '../matrix'
import { activitiesRows } from './activities'
import { bookingRows } from './booking'
import { deliberationRows } from './deliberation'
import { identityRows } from './identity'
import { needsRows } from './needs'
import { notifyRows } from './notify'
import { pointsRows } from './points'

/** Every operation's row; a domain adding operations adds a file here (the type needs every operationId). */
export const rows = {
  ...identityRows,
  ...needsRows,
  ...bookingRows,
  ...notifyRows,
  ...pointsRows,
  ...deliberationRows,
  ...activitiesRows,
} satisfies Rows
