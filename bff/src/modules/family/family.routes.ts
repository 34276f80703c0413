import type { Mount } from '../../platform/http/operation'
import { confirmBinding, listFamily, requestBinding, revokeBinding } from './family.service'

export function familyRoutes(mount: Mount): void {
  mount('requestFamilyBinding', ({ body }, { actor }) => requestBinding(actor, body.as))
  mount('confirmFamilyBinding', ({ body }, { actor }) => confirmBinding(actor, body.code))
  mount('revokeFamilyBinding', ({ params }, { actor }) => revokeBinding(actor, params.id))
  mount('listFamily', (_, { actor }) => listFamily(actor))
}
