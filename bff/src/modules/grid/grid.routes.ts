import type { Mount } from '../../platform/http/operation'
import { completeHomeVisit, listHomeVisits, logHomeVisit } from './home-visits.service'
import { createNeedOnBehalf } from './on-behalf.service'
import { residentsInReach } from './residents'

export function gridRoutes(mount: Mount): void {
  mount('createNeedOnBehalf', ({ body }, { actor }) => createNeedOnBehalf(actor, body))
  mount('listResidentsInReach', ({ query }, { actor }) => residentsInReach(actor, query.q))
  mount('logHomeVisit', ({ body }, { actor }) => logHomeVisit(actor, body))
  mount('listHomeVisits', ({ query }, { actor }) => listHomeVisits(actor, query))
  mount('completeHomeVisit', ({ params, body }, { actor }) => completeHomeVisit(actor, params.id, body))
}
