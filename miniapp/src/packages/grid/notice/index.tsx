import type { Notice, NoticeReceipts } from '@linli/shared-types'
import { formatTime } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { call } from '../../../api'
import '../grid.css'
import { ActionButton, Page, Skeleton } from '../../../ui'

/** A notice; opening it marks it read. Residents tap 收到; publishers see who has not confirmed. */
export default function NoticePage() {
  const { id = '' } = useRouter().params
  const [notice, setNotice] = useState<Notice | null>(null)
  const [receipts, setReceipts] = useState<NoticeReceipts | null>(null)
  const [failed, setFailed] = useState(false)

  useEffect(() => {
    call('getNotice', { params: { id } }, { quiet: true }).then(
      (n) => {
        setNotice(n)
        if (n.counts) call('getNoticeReceipts', { params: { id } }).then(setReceipts, () => {})
      },
      () => setFailed(true),
    )
  }, [id])

  if (failed)
    return (
      <Page>
        <View className="card muted center">通知不存在或不是发给您的</View>
        <ActionButton kind="ghost" onTap={() => Taro.navigateBack()}>
          返回
        </ActionButton>
      </Page>
    )
  if (!notice) return <Page>{<Skeleton />}</Page>

  return (
    <Page className="notice">
      <View className="card">
        <Text className="card__title notice-title">{notice.title}</Text>
        <Text className="muted">
          {notice.audienceName} · {notice.publisherName} · {formatTime(notice.publishedAt)}
        </Text>
        <Text className="notice-body">{notice.body}</Text>
        {notice.confirmBy && <Text className="muted">请于 {formatTime(notice.confirmBy)} 前确认</Text>}
      </View>
      {notice.requireConfirm &&
        !notice.counts &&
        (notice.confirmedAt ? (
          <View className="card center notice-confirmed">已确认收到 · {formatTime(notice.confirmedAt)}</View>
        ) : (
          <ActionButton
            className="notice-confirm"
            onTap={async () => setNotice(await call('confirmNotice', { params: { id } }))}
          >
            收到
          </ActionButton>
        ))}
      {receipts && (
        <View className="card notice-receipts">
          <Text className="card__title">阅读情况</Text>
          <View className="grid-stat">
            <View className="grid-stat__cell">
              <Text className="grid-stat__value">{receipts.counts.audience}</Text>
              <Text className="muted">应收</Text>
            </View>
            <View className="grid-stat__cell">
              <Text className="grid-stat__value notice-read">{receipts.counts.read}</Text>
              <Text className="muted">已读</Text>
            </View>
            {notice.requireConfirm && (
              <View className="grid-stat__cell">
                <Text className="grid-stat__value notice-confirmed-count">{receipts.counts.confirmed}</Text>
                <Text className="muted">已确认</Text>
              </View>
            )}
          </View>
          <Text className="section-label">
            {notice.requireConfirm ? '未确认的住户（请上门告知）' : '未读的住户'}
          </Text>
          {receipts.pending.length === 0 && (
            <Text className="muted">全部已{notice.requireConfirm ? '确认' : '读'}</Text>
          )}
          {receipts.pending.map((p) => (
            <View key={p.userId} className="row">
              <Text>{p.name}</Text>
              <Text className="muted">
                {p.household} {p.read ? '· 已读' : ''}
              </Text>
            </View>
          ))}
          {receipts.truncated && <Text className="muted">仅显示前200户</Text>}
        </View>
      )}
    </Page>
  )
}
