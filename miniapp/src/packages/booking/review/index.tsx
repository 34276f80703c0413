import { type ReviewItem, rejectReasonTemplates } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useCallback, useState } from 'react'
import { call } from '../../../api'
import { PagedList } from '../../../components/paged-list'
import { StaffOnly } from '../../../components/staff-only'
import { usePages } from '../../../lib/use-pages'
import { useMe } from '../../../session/use-me'
import { BookingCard, SCHEDULE_PAGE } from '../shared'
import '../booking.css'
import { ActionButton, Chips, Page } from '../../../ui'

export default function Review() {
  const { me } = useMe()
  const fetchPage = useCallback(
    (cursor: string | undefined) => call('listBookingsForReview', { query: { limit: 20, cursor } }),
    [],
  )
  const { items, hasMore, reload, more } = usePages<ReviewItem>(fetchPage)
  const [rejecting, setRejecting] = useState<string | null>(null)
  const [reason, setReason] = useState<string>(rejectReasonTemplates[0])
  useDidShow(() => {
    void reload()
  })

  const approve = async (id: string) => {
    await call('approveBooking', { params: { id }, body: {} })
    await Taro.showToast({ title: '已通过', icon: 'success' })
    await reload()
  }
  const reject = async (id: string) => {
    await call('rejectBooking', { params: { id }, body: { reason } })
    setRejecting(null)
    await reload()
  }

  return (
    <StaffOnly me={me}>
      <Page>
        <View
          className="btn btn--ghost schedule-link"
          onClick={() => Taro.navigateTo({ url: SCHEDULE_PAGE })}
        >
          查看空间日程
        </View>
        <Text className="section-label">待审核预约 · 最早提交的在前</Text>
        <PagedList items={items} hasMore={hasMore} more={more} empty="暂无待审核的预约">
          {(b) => (
            <BookingCard key={b.id} booking={b} showWho>
              <Text className="muted review-history">
                预约记录：共{b.history.total}次，完成{b.history.completed}次，爽约{b.history.noShow}次，取消
                {b.history.cancelled}次
              </Text>
              {rejecting === b.id ? (
                <View>
                  <Chips
                    className="reason-chips"
                    options={rejectReasonTemplates.map((r) => ({ value: r, label: r }))}
                    value={reason}
                    onChange={setReason}
                  />
                  <View className="btn-row">
                    <ActionButton className="reject-confirm" kind="danger" onTap={() => reject(b.id)}>
                      确认驳回
                    </ActionButton>
                    <ActionButton kind="ghost" onTap={() => setRejecting(null)}>
                      返回
                    </ActionButton>
                  </View>
                </View>
              ) : (
                <View className="btn-row">
                  <ActionButton
                    className="approve-btn"
                    confirm={{
                      title: '通过预约',
                      content: '通过后居民会收到通知，按时使用空间',
                      confirmText: '通过',
                    }}
                    onTap={() => approve(b.id)}
                  >
                    通过
                  </ActionButton>
                  <ActionButton className="reject-btn" kind="ghost" onTap={() => setRejecting(b.id)}>
                    驳回
                  </ActionButton>
                </View>
              )}
            </BookingCard>
          )}
        </PagedList>
      </Page>
    </StaffOnly>
  )
}
