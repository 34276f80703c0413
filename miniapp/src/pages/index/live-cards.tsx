import { bookingStatusLabels, formatTimeRange, needStatusLabels } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useCallback } from 'react'
import { call } from '../../api'
import { Cell, CellGroup, Loadable, useLoad } from '../../ui'

const settled = ['resolved', 'closed', 'duplicate', 'rejected', 'withdrawn']
const quiet = { quiet: true }

/** A verified resident's live cards: the next booking, a need in progress, a vote that is open. */
async function live() {
  const now = Date.now()
  const [bookings, needs, votes] = await Promise.all([
    call('listMyBookings', { query: { limit: 50 } }, quiet),
    call('listMyNeeds', { query: { limit: 20 } }, quiet),
    call('listTopics', { query: { stage: 'voting', limit: 5 } }, quiet),
  ])
  const next = bookings.items
    .filter((b) => (b.status === 'approved' || b.status === 'pending') && Date.parse(b.end) > now)
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))[0]
  const need = needs.items.find((n) => !settled.includes(n.status))
  return { next, need, vote: votes.items[0] }
}

export function LiveCards() {
  const load = useLoad(useCallback(live, []))
  const go = (url: string) => () => Taro.navigateTo({ url })
  return (
    <Loadable load={load}>
      {({ next, need, vote }) =>
        next || need || vote ? (
          <CellGroup title="我的进行中" className="home-live">
            {next && (
              <Cell
                className="live-booking"
                title={`预约 · ${next.spaceName}`}
                note={formatTimeRange(next.start, next.end)}
                value={bookingStatusLabels[next.status]}
                onClick={go(`/packages/booking/mine/index`)}
              />
            )}
            {need && (
              <Cell
                className="live-need"
                title={`反映 · ${need.title}`}
                note={`编号 ${need.no}`}
                value={needStatusLabels[need.status]}
                onClick={go(`/packages/needs/detail/index?id=${need.id}`)}
              />
            )}
            {vote && (
              <Cell
                className="live-vote"
                title={`投票中 · ${vote.title}`}
                note="请在截止前投出您的一票"
                onClick={go(`/packages/deliberation/topic/index?id=${vote.id}`)}
              />
            )}
          </CellGroup>
        ) : (
          <View className="card home-live-none">
            <Text className="muted">暂无进行中的预约、反映和投票</Text>
          </View>
        )
      }
    </Loadable>
  )
}
