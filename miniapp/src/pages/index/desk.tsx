import type { Me } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useCallback } from 'react'
import { call } from '../../api'
import { hasRole, staffRoles } from '../../lib/labels'
import {
  CLAIMS_PAGE,
  MERCHANT_DESK_PAGE,
  NEEDS_QUEUE_PAGE,
  SCREENING_PAGE,
  WORKBENCH_PAGE,
} from '../../session/routes'
import { Loadable, useLoad } from '../../ui'

/** '12', or '99+' when a first page of 100 did not hold them all. */
const count = (page: { items: unknown[]; nextCursor: string | null }) =>
  page.nextCursor ? '99+' : String(page.items.length)

interface Waiting {
  id: string
  title: string
  count: string
  note: string
  url: string
}

const quiet = { quiet: true }

/** What waits for staff, grid workers and merchants, counted from the first page of each queue. */
async function waiting(me: Me): Promise<Waiting[]> {
  const out: Promise<Waiting>[] = []
  if (hasRole(me, staffRoles)) {
    out.push(
      call('listResidencyClaims', { query: { status: 'pending', limit: 100 } }, quiet).then((p) => ({
        id: 'desk-claims',
        title: '认证审核',
        count: count(p),
        note: '条待审核',
        url: CLAIMS_PAGE,
      })),
      call('listBookingsForReview', { query: { limit: 100 } }, quiet).then((p) => ({
        id: 'desk-bookings',
        title: '预约审核',
        count: count(p),
        note: '条待审核',
        url: '/packages/booking/review/index',
      })),
      call('listTopics', { query: { status: 'proposed', limit: 100 } }, quiet).then((p) => ({
        id: 'desk-topics',
        title: '议题审查',
        count: count(p),
        note: '个待审查',
        url: SCREENING_PAGE,
      })),
    )
  }
  if (hasRole(me, ['gridWorker', ...staffRoles]))
    out.push(
      call('listNeedsForHandling', { query: { status: 'open', limit: 100 } }, quiet).then((p) => ({
        id: 'desk-needs',
        title: '反映处理',
        count: count(p),
        note: '件待办',
        url: NEEDS_QUEUE_PAGE,
      })),
    )
  if (hasRole(me, ['merchant']))
    out.push(
      call('listMerchantRedemptions', { query: { limit: 100 } }, quiet).then((p) => ({
        id: 'desk-redemptions',
        title: '扫码核销',
        count: count(p),
        note: '张已核销',
        url: MERCHANT_DESK_PAGE,
      })),
    )
  return Promise.all(out)
}

/** The landing desk of staff, grid workers and merchants: counts of what waits, one tap to each queue. */
export function Desk(props: { me: Me }) {
  const { me } = props
  const load = useLoad(useCallback(() => waiting(me), [me]))
  const staff = hasRole(me, staffRoles)
  return (
    <>
      <Text className="section-label">待我处理</Text>
      <Loadable load={load}>
        {(items) => (
          <View className="tiles">
            {items.map((w) => (
              <View
                key={w.id}
                className={`tile ${w.id}`}
                role="link"
                onClick={() => Taro.navigateTo({ url: w.url })}
              >
                <Text className="tile__title">{w.title}</Text>
                <Text className="tile__count">{w.count}</Text>
                <Text className="tile__note">{w.note}</Text>
              </View>
            ))}
          </View>
        )}
      </Loadable>
      {staff && (
        <View
          className="btn btn--ghost home-workbench"
          onClick={() => Taro.navigateTo({ url: WORKBENCH_PAGE })}
        >
          进入社区工作台
        </View>
      )}
    </>
  )
}
