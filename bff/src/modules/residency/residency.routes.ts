import type { Mount } from '../../platform/http/operation'
import { getClaim, listClaims, myResidency, reviewClaim, submitClaim } from './residency.service'
import { searchResidents } from './residents.search'

export function residencyRoutes(mount: Mount): void {
  mount('submitResidencyClaim', ({ body }, { actor }) => submitClaim(actor, body))
  mount('getMyResidency', (_, { actor }) => myResidency(actor))
  mount('listResidencyClaims', ({ query }, { actor }) => listClaims(actor, query))
  mount('getResidencyClaim', ({ params }, { actor }) => getClaim(actor, params.id))
  mount('searchResidents', ({ query }, { actor }) => searchResidents(actor, query))
  mount('reviewResidencyClaim', ({ params, body }, { actor }) => reviewClaim(actor, params.id, body))
}
