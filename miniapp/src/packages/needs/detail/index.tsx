import { type NeedDetail, whistleStateLabels } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { call } from '../../../api'
import { hasRole } from '../../../lib/labels'
import { useMe } from '../../../session/use-me'
import {
  formatLeft,
  formatTime,
  handlerRoles,
  levelLabel,
  NeedPhoto,
  NeedSteps,
  StatusTag,
  urgencyLabel,
} from '../shared'
import '../needs.css'
import { ActionButton, Page, Skeleton } from '../../../ui'
import { NeedPanel, type Panel } from './panel'

export default function NeedDetailPage() {
  const { me } = useMe()
  // `for`: a bound family member reading and rating the elder's need (each call names the elder).
  const { id = '', for: forId = '' } = useRouter().params
  const as = forId ? { onBehalfOf: forId } : undefined
  const [need, setNeed] = useState<NeedDetail | null>(null)
  const [panel, setPanel] = useState<Panel | ''>('')

  useEffect(() => {
    if (id)
      call('getNeed', { params: { id }, query: {} }, forId ? { onBehalfOf: forId } : undefined).then(
        setNeed,
        () => {},
      )
  }, [id, forId])

  if (!need || !me) return <Page>{<Skeleton />}</Page>
  const handler = hasRole(me, handlerRoles)
  // Residents only ever see their own needs; handlers act on them.
  const mine = !handler || !!forId
  const done = async (next: NeedDetail, toast: string) => {
    setNeed(next)
    setPanel('')
    await Taro.showToast({ title: toast, icon: 'success' })
  }
  const params = { id: need.id }
  const s = need.status
  const canAccept = s === 'submitted' || s === 'reopened'
  const working = s === 'accepted' || s === 'inProgress' || s === 'referred'

  return (
    <Page className="need-detail">
      <View className="card">
        <View className="row">
          <Text className="card__title need-detail__title">{need.title}</Text>
          <StatusTag status={need.status} />
        </View>
        {mine && <NeedSteps status={need.status} />}
        <Text className="muted need-detail__meta" style={{ display: 'block' }}>
          {need.categoryName} · {urgencyLabel[need.urgency]} · 当前由{levelLabel(need.level)}处理
          {need.assigneeName ? `（${need.assigneeName}）` : ''}
        </Text>
        <Text className="muted" style={{ display: 'block' }}>
          编号 {need.no} · {need.location}
        </Text>
        {need.deadlineAt && need.secondsLeft !== null && (
          <Text className={`need-card__left ${need.secondsLeft < 0 ? 'need-card__left--late' : ''}`}>
            {formatLeft(need.secondsLeft)}
          </Text>
        )}
        {handler && (
          <Text className="muted" style={{ display: 'block' }}>
            反映人 {need.reporterName}
            {need.contactPhone ? ` · ${need.contactPhone}` : ''}
          </Text>
        )}
        {handler && need.contactPhone && (
          <ActionButton
            kind="ghost"
            className="need-call"
            onTap={() => Taro.makePhoneCall({ phoneNumber: need.contactPhone! })}
          >
            拨打反映人电话
          </ActionButton>
        )}
        <Text style={{ display: 'block', marginTop: '12px' }}>{need.description}</Text>
        <View>
          {need.photoIds.map((p) => (
            <NeedPhoto key={p} needId={need.id} photoId={p} />
          ))}
        </View>
      </View>

      <Text className="section-label">办理过程</Text>
      <View className="timeline card">
        {need.timeline.map((e) => (
          <View
            key={e.id}
            className={`bubble bubble--${e.actorRole}${e.public ? '' : ' bubble--internal'} timeline-${e.kind}`}
          >
            {e.actorRole !== 'system' && (
              <Text className="bubble__who">
                {e.actorName} · {formatTime(e.at)}
                {e.public ? '' : ' · 内部备注'}
              </Text>
            )}
            <Text className="bubble__note">{e.note}</Text>
            {e.photoIds.length > 0 && (
              <View className="bubble__photos">
                {e.photoIds.map((p) => (
                  <NeedPhoto key={p} needId={need.id} photoId={p} />
                ))}
              </View>
            )}
          </View>
        ))}
      </View>

      {need.whistles.length > 0 && (
        <View className="card">
          <Text className="card__title">吹哨报到</Text>
          {need.whistles.map((w) => (
            <View key={w.id} className="row">
              <Text>{w.department}</Text>
              <Text className="muted">
                {whistleStateLabels[w.state]}
                {w.overdueAt ? '（超时未报到，已报街道）' : ''}
                {w.handBackReason ? `：${w.handBackReason}` : ''}
              </Text>
            </View>
          ))}
        </View>
      )}

      {panel && (
        <NeedPanel
          need={need}
          panel={panel}
          as={as}
          onDone={(next, toast) => void done(next, toast)}
          onCancel={() => setPanel('')}
        />
      )}

      {!panel && (
        <View className="btn-row need-actions">
          {mine && s === 'submitted' && (
            <ActionButton
              kind="ghost"
              className="need-withdraw"
              confirm={{
                title: '撤回反映',
                content: '撤回后这件事不再办理，需要时可以重新反映',
                confirmText: '撤回',
              }}
              onTap={async () => done(await call('withdrawNeed', { params, body: {} }, as), '已撤回')}
            >
              撤回
            </ActionButton>
          )}
          {mine && s === 'resolved' && (
            <ActionButton className="need-rate" onTap={() => setPanel('rate')}>
              评价
            </ActionButton>
          )}
          {mine && need.canReopen && (
            <ActionButton kind="danger" className="need-reopen" onTap={() => setPanel('reopen')}>
              不满意，重新办理
            </ActionButton>
          )}
          {handler && canAccept && (
            <ActionButton
              className="need-accept"
              onTap={async () => done(await call('acceptNeed', { params }), '已受理')}
            >
              受理
            </ActionButton>
          )}
          {handler && working && (
            <ActionButton kind="ghost" className="need-reply" onTap={() => setPanel('reply')}>
              答复
            </ActionButton>
          )}
          {handler && working && (
            <ActionButton className="need-resolve" onTap={() => setPanel('resolve')}>
              办结
            </ActionButton>
          )}
          {handler && (canAccept || working) && s !== 'referred' && (
            <ActionButton kind="ghost" className="need-refer" onTap={() => setPanel('refer')}>
              转办
            </ActionButton>
          )}
          {handler && (canAccept || working) && (
            <ActionButton kind="danger" className="need-escalate" onTap={() => setPanel('escalate')}>
              吹哨
            </ActionButton>
          )}
        </View>
      )}
      {need.rating !== null && (
        <View className="card">
          <Text>
            居民评价：{need.rating}星{need.ratingComment ? `，${need.ratingComment}` : ''}
          </Text>
        </View>
      )}
    </Page>
  )
}
