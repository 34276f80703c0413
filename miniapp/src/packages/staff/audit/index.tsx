import type { AuditEntry } from '@linli/shared-types'
import { formatTime } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import { useCallback, useEffect } from 'react'
import { call } from '../../../api'
import { PagedList } from '../../../components/paged-list'
import { StaffOnly } from '../../../components/staff-only'
import { auditActionLabel, auditTargetLabel } from '../../../lib/labels'
import { usePages } from '../../../lib/use-pages'
import { useMe } from '../../../session/use-me'
import './index.css'
import { Page } from '../../../ui'

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
    <StaffOnly me={me} what="工作台">
      <Page>
        <Text className="section-label">本辖区工作人员的每一次操作都会留痕</Text>
        <PagedList items={items} hasMore={hasMore} more={more} empty="暂无记录">
          {(e) => <AuditItem key={e.id} entry={e} />}
        </PagedList>
      </Page>
    </StaffOnly>
  )
}

function AuditItem({ entry }: { entry: AuditEntry }) {
  return (
    <View className="card">
      <View className="audit-item__head">
        <Text className="audit-item__action">{auditActionLabel(entry.action)}</Text>
        <Text className="muted">{formatTime(entry.createdAt)}</Text>
      </View>
      <Text className="muted">
        {entry.actorName} · {auditTargetLabel(entry.targetType)}
      </Text>
    </View>
  )
}
