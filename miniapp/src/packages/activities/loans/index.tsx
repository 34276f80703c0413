import { formatTime, type Loan, loanStatusLabels } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useCallback } from 'react'
import { call } from '../../../api'
import { PagedList } from '../../../components/paged-list'
import { QrCode } from '../../../components/qr/qr-code'
import { usePages } from '../../../lib/use-pages'
import '../activities.css'
import { ActionButton, Page, Tag } from '../../../ui'

const tone = (l: Loan) =>
  l.overdue ? 'bad' : l.status === 'pickedUp' || l.status === 'reserved' ? 'ok' : ('none' as const)

/** 我的借用: each loan with its code (QR and text) to show at the 驿站 desk, due dates, overdue marks. */
export default function MyLoans() {
  const fetchPage = useCallback(
    (cursor: string | undefined) => call('listMyLoans', { query: { limit: 20, cursor } }),
    [],
  )
  const { items, hasMore, reload, more } = usePages<Loan>(fetchPage)
  useDidShow(() => {
    void reload()
  })
  const cancel = async (l: Loan) => {
    const { confirm } = await Taro.showModal({
      title: '取消借用',
      content: `确定不借「${l.itemName}」了吗？`,
    })
    if (!confirm) return
    await call('cancelLoan', { params: { id: l.id } })
    await reload()
  }
  return (
    <Page className="act">
      <PagedList items={items} hasMore={hasMore} more={more} empty="还没有借用物品，去「共享物品」看看吧">
        {(l) => (
          <View key={l.id} className="card loan-card">
            <Text className="act-card__title">{l.itemName}</Text>
            <View className="act-tags">
              <Tag tone={tone(l)}>
                {l.overdue && l.status === 'pickedUp' ? '已逾期' : loanStatusLabels[l.status]}
              </Tag>
              {l.overdue && l.status === 'returned' && <Tag tone="bad">逾期归还</Tag>}
            </View>
            <Text className="act-card__line">{l.station}</Text>
            {l.status === 'reserved' && (
              <Text className="act-card__line">请于 {formatTime(l.pickUpBy)} 前取用</Text>
            )}
            {l.dueAt && l.status === 'pickedUp' && (
              <Text className="act-card__line">应还日期：{formatTime(l.dueAt)}</Text>
            )}
            {l.returnedAt && <Text className="act-card__line">归还于：{formatTime(l.returnedAt)}</Text>}
            {l.code && (l.status === 'reserved' || l.status === 'pickedUp') && (
              <View className="loan-code">
                <Text className="muted">
                  {l.status === 'reserved' ? '取用时出示借用码' : '归还时出示借用码'}
                </Text>
                <View className="act-center">
                  <QrCode payload={l.code} size={360} />
                </View>
                <Text className="code-big loan-code__text">{l.code}</Text>
              </View>
            )}
            {l.status === 'reserved' && (
              <ActionButton className="cancel-loan-btn" kind="ghost" onTap={() => cancel(l)}>
                取消借用
              </ActionButton>
            )}
          </View>
        )}
      </PagedList>
    </Page>
  )
}
