import type { AuditEntry } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import { useCallback, useEffect } from 'react'
import { call } from '../../../api'
import { ActionButton } from '../../../components/action-button'
import { Loading } from '../../../components/loading'
import { auditActionLabel, auditTargetLabel } from '../../../lib/labels'
import { formatDateTime } from '../../../lib/time'
import { useMe } from '../../../session/use-me'
import { StaffOnly } from '../staff-only'
import { usePages } from '../use-pages'
import './index.css'

export default function AuditLog() {
  const { me } = useMe()
  const fetchPage = useCallback(
    (cursor: string | undefined) => call('listAuditLog', { query: { limit: 30, cursor } }),
    [],
  )
  const { items, hasMore, reload, more } = usePages(fetchPage)

  useEffect(() => {
    void reload()
  }, [reload])

  return (
    <StaffOnly me={me}>
      <View className="page">
        <Text className="section-label">本辖区工作人员的每一次操作都会留痕</Text>
        {!items && <Loading />}
        {items?.length === 0 && <View className="card muted center">暂无记录</View>}
        {items?.map((e) => (
          <AuditItem key={e.id} entry={e} />
        ))}
        {hasMore && (
          <ActionButton kind="ghost" onTap={more}>
            加载更多
          </ActionButton>
        )}
      </View>
    </StaffOnly>
  )
}

function AuditItem({ entry }: { entry: AuditEntry }) {
  return (
    <View className="card">
      <View className="audit-item__head">
        <Text className="audit-item__action">{auditActionLabel(entry.action)}</Text>
        <Text className="muted">{formatDateTime(entry.createdAt)}</Text>
      </View>
      <Text className="muted">
        {entry.actorName} · {auditTargetLabel(entry.targetType)} #{entry.targetId.slice(-6)}
      </Text>
    </View>
  )
}
