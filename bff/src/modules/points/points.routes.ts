import { IDEMPOTENCY_HEADER } from '../../platform/http/idempotency'
import type { Mount } from '../../platform/http/operation'
import { handed } from '../../platform/http/scope'
import './points.events'
import { listHours, reviewHours, submitHours } from './hours.service'
import { awardPoints, getMyPoints, getRules, listMyEntries, updateRules } from './points.service'
import { reconcile } from './reconcile.service'
import { redeemReward } from './redemption'
import type { RewardDoc } from './rewards.model'
import {
  addMerchantStaff,
  createMerchant,
  createReward,
  getReward,
  listMerchants,
  listRewards,
  updateReward,
} from './rewards.service'
import {
  cancelVoucher,
  getMyVoucher,
  listMyVouchers,
  listRedemptions,
  lookupVoucher,
  redeemVoucher,
  redemptionReport,
} from './vouchers.service'

export function pointsRoutes(mount: Mount): void {
  mount('getMyPoints', (_, { actor }) => getMyPoints(actor))
  mount('listMyPointEntries', ({ query }, { actor }) => listMyEntries(actor, query))
  mount('listPointRules', ({ query }, { actor }) => getRules(actor, query.communityId))
  mount('updatePointRules', ({ params, body }, { actor }) => updateRules(actor, params.id, body))
  mount('awardPoints', ({ body }, { actor }) => awardPoints(actor, body))
  mount('submitVolunteerHours', ({ body }, { actor }) => submitHours(actor, body))
  mount('listVolunteerHours', ({ query }, { actor }) => listHours(actor, query))
  mount('reviewVolunteerHours', ({ params, body }, { actor, log }) =>
    reviewHours(actor, params.id, body, log),
  )
  mount('listMerchants', ({ query }, { actor }) => listMerchants(actor, query))
  mount('createMerchant', ({ body }, { actor }) => createMerchant(actor, body))
  mount('addMerchantStaff', ({ params, body }, { actor }) => addMerchantStaff(actor, params.id, body.userId))
  mount('listRewards', ({ query }, { actor }) => listRewards(actor, query))
  mount('getReward', ({ params }, { actor }) => getReward(actor, params.id))
  mount('createReward', ({ body }, { actor }) => createReward(actor, body))
  mount('updateReward', ({ params, body }, { actor }) => updateReward(actor, params.id, body))
  mount('redeemReward', ({ params }, { actor, koa, scoped }) =>
    redeemReward(
      actor,
      params.id,
      koa.get(IDEMPOTENCY_HEADER) || undefined,
      handed<RewardDoc>(scoped, 'reward'),
    ),
  )
  mount('listMyVouchers', ({ query }, { actor }) => listMyVouchers(actor, query))
  mount('getVoucher', ({ params }, { actor }) => getMyVoucher(actor, params.id))
  mount('cancelVoucher', ({ params }, { actor }) => cancelVoucher(actor, params.id))
  mount('lookupVoucher', ({ body }, { actor }) => lookupVoucher(actor, body.code))
  mount('redeemVoucher', ({ body }, { actor }) => redeemVoucher(actor, body.code))
  mount('listMerchantRedemptions', ({ query }, { actor }) => listRedemptions(actor, query))
  mount('getRedemptionReport', ({ query }, { actor }) => redemptionReport(actor, query))
  mount('getPointsReconciliation', ({ query }, { actor }) => reconcile(actor, query.communityId))
}
