import type { Mount } from '../../platform/http/operation'
import { getClaim, listClaims, myResidency, reviewClaim, submitClaim } from './residency.service'

export function residencyRoutes(mount: Mount): void {
  mount('submitResidencyClaim', ({ body }, { actor }) => submitClaim(actor, body))
  mount('getMyResidency', (_, { actor }) => myResidency(actor))
  mount('listResidencyClaims', ({ query }, { actor }) => listClaims(actor, query))
  mount('getResidencyClaim', ({ params }, { actor }) => getClaim(actor, params.id))
  mount('reviewResidencyClaim', ({ params, body }, { actor }) => reviewClaim(actor, params.id, body))
}
