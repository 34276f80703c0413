import type { Rows } from '../matrix'
import { activitiesRows } from './activities'
import { bookingRows } from './booking'
import { cockpitRows } from './cockpit'
import { deliberationRows } from './deliberation'
import { familyRows } from './family'
import { gridRows } from './grid'
import { identityRows } from './identity'
import { needsRows } from './needs'
import { noticesRows } from './notices'
import { notifyRows } from './notify'
import { pointsRows } from './points'
import { privacyRows } from './privacy'

/** Every operation's row; a domain adding operations adds a file here (the type needs every operationId). */
export const rows = {
  ...identityRows,
  ...needsRows,
  ...bookingRows,
  ...notifyRows,
  ...pointsRows,
  ...deliberationRows,
  ...activitiesRows,
  ...familyRows,
  ...gridRows,
  ...noticesRows,
  ...cockpitRows,
  ...privacyRows,
} satisfies Rows
