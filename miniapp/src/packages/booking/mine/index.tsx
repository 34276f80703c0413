import type { Booking } from '@linli/shared-types'
import { View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useCallback } from 'react'
import { call } from '../../../api'
import { PagedList } from '../../../components/paged-list'
import { usePages } from '../../../lib/use-pages'
import { BookingCard } from '../shared'
import '../booking.css'
import { ActionButton, Page } from '../../../ui'

export default function MyBookings() {
  const fetchPage = useCallback(
    (cursor: string | undefined) => call('listMyBookings', { query: { limit: 20, cursor } }),
    [],
  )
  const { items, hasMore, reload, more } = usePages<Booking>(fetchPage)
  useDidShow(() => {
    void reload()
  })

  const cancel = async (b: Booking) => {
    const { confirm } = await Taro.showModal({
      title: '取消预约',
      content: `确定取消 ${b.spaceName} 的预约吗？`,
    })
    if (!confirm) return
    await call('cancelBooking', { params: { id: b.id }, body: {} })
    await reload()
  }
  const checkIn = async (b: Booking) => {
    let code: string | undefined
    // On weapp, scan the code posted at the space; H5 checks in with the button inside the window.
    if (process.env.TARO_ENV === 'weapp') code = (await Taro.scanCode({ onlyFromCamera: true })).result
    await call('checkInBooking', { params: { id: b.id }, body: code ? { code } : {} })
    await Taro.showToast({ title: '签到成功', icon: 'success' })
    await reload()
  }

  return (
    <Page>
      <PagedList items={items} hasMore={hasMore} more={more} empty="还没有预约，去「预约」看看吧">
        {(b) => (
          <BookingCard key={b.id} booking={b}>
            {(b.status === 'pending' || b.status === 'approved') && Date.parse(b.start) > Date.now() && (
              <View className="btn-row">
                {b.status === 'approved' && (
                  <ActionButton className="checkin-btn" onTap={() => checkIn(b)}>
                    签到
                  </ActionButton>
                )}
                <ActionButton className="cancel-btn" kind="ghost" onTap={() => cancel(b)}>
                  取消预约
                </ActionButton>
              </View>
            )}
          </BookingCard>
        )}
      </PagedList>
    </Page>
  )
}
