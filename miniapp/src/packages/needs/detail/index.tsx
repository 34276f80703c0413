import { type NeedDetail, whistleStateLabels } from '@linli/shared-types'
import { Text, Textarea, View } from '@tarojs/components'
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
  StatusTag,
  urgencyLabel,
} from '../shared'
import '../needs.css'
import { ActionButton, Chips, Page, Skeleton } from '../../../ui'

const stars = ['1', '2', '3', '4', '5'].map((s) => ({ value: s, label: `${s}星` }))
type Panel = '' | 'reply' | 'resolve' | 'refer' | 'escalate' | 'rate' | 'reopen'

export default function NeedDetailPage() {
  const { me } = useMe()
  const { id = '' } = useRouter().params
  const [need, setNeed] = useState<NeedDetail | null>(null)
  const [panel, setPanel] = useState<Panel>('')
  const [text, setText] = useState('')
  const [extra, setExtra] = useState('')
  const [score, setScore] = useState('5')
  const [internal, setInternal] = useState(false)

  const [departments, setDepartments] = useState<{ value: string; label: string }[]>([])

  useEffect(() => {
    if (id) call('getNeed', { params: { id }, query: {} }).then(setNeed, () => {})
  }, [id])
  useEffect(() => {
    if (panel !== 'escalate' || !need) return
    call('listDepartments', { query: { communityId: need.communityId } }).then(
      (r) => setDepartments(r.items.map((d) => ({ value: d.id, label: d.name }))),
      () => setDepartments([]),
    )
  }, [panel, need])

  if (!need || !me) return <Page>{<Skeleton />}</Page>
  const handler = hasRole(me, handlerRoles)
  // Residents only ever see their own needs; handlers act on them.
  const mine = !handler
  const open = (p: Panel) => {
    setPanel(p)
    setText('')
    setExtra('')
  }
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
        <View className="card need-panel">
          {panel === 'rate' && <Chips className="stars" options={stars} value={score} onChange={setScore} />}
          {panel === 'refer' && (
            <Textarea
              className="need-textarea need-extra"
              value={extra}
              placeholder="接收单位，如：区住建局"
              onInput={(e) => setExtra(e.detail.value)}
            />
          )}
          {panel === 'escalate' && (
            <View className="need-extra">
              <Text className="section-label">须报到的部门</Text>
              {departments.length ? (
                <Chips className="need-departments" options={departments} value={extra} onChange={setExtra} />
              ) : (
                <Text className="muted">本街道尚未登记部门</Text>
              )}
            </View>
          )}
          {panel === 'reply' && (
            <Chips
              options={[
                { value: 'public', label: '答复居民' },
                { value: 'internal', label: '内部备注' },
              ]}
              value={internal ? 'internal' : 'public'}
              onChange={(v) => setInternal(v === 'internal')}
            />
          )}
          <Textarea
            className="need-textarea need-text"
            value={text}
            maxlength={500}
            placeholder={
              {
                reply: '答复内容',
                resolve: '办理结果（必填，将告知居民）',
                refer: '转办说明',
                escalate: '情况说明（选填）',
                rate: '说说您的感受（选填）',
                reopen: '哪里还不满意？',
                '': '',
              }[panel]
            }
            onInput={(e) => setText(e.detail.value)}
          />
          <ActionButton
            className="need-panel-submit"
            onTap={async () => {
              const t = text.trim()
              if (panel === 'reply')
                return done(
                  await call('addNeedReply', { params, body: { note: t, public: !internal } }),
                  '已发送',
                )
              if (panel === 'resolve')
                return done(await call('resolveNeed', { params, body: { reply: t } }), '已办结')
              if (panel === 'refer')
                return done(
                  await call('referNeed', { params, body: { to: extra.trim(), note: t } }),
                  '已转办',
                )
              if (panel === 'escalate')
                return done(
                  await call('escalateNeed', {
                    params,
                    body: { departmentId: extra, ...(t ? { note: t } : {}) },
                  }),
                  '已吹哨',
                )
              if (panel === 'rate')
                return done(
                  await call('rateNeed', {
                    params,
                    body: { score: Number(score), ...(t ? { comment: t } : {}) },
                  }),
                  '感谢评价',
                )
              if (panel === 'reopen')
                return done(await call('reopenNeed', { params, body: { reason: t } }), '已重新办理')
            }}
          >
            确定
          </ActionButton>
          <ActionButton kind="ghost" onTap={() => setPanel('')}>
            取消
          </ActionButton>
        </View>
      )}

      {!panel && (
        <View className="btn-row need-actions">
          {mine && s === 'submitted' && (
            <ActionButton
              kind="ghost"
              className="need-withdraw"
              onTap={async () => done(await call('withdrawNeed', { params, body: {} }), '已撤回')}
            >
              撤回
            </ActionButton>
          )}
          {mine && s === 'resolved' && (
            <ActionButton className="need-rate" onTap={() => open('rate')}>
              评价
            </ActionButton>
          )}
          {mine && need.canReopen && (
            <ActionButton kind="danger" className="need-reopen" onTap={() => open('reopen')}>
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
            <ActionButton kind="ghost" className="need-reply" onTap={() => open('reply')}>
              答复
            </ActionButton>
          )}
          {handler && working && (
            <ActionButton className="need-resolve" onTap={() => open('resolve')}>
              办结
            </ActionButton>
          )}
          {handler && (canAccept || working) && s !== 'referred' && (
            <ActionButton kind="ghost" className="need-refer" onTap={() => open('refer')}>
              转办
            </ActionButton>
          )}
          {handler && (canAccept || working) && (
            <ActionButton kind="danger" className="need-escalate" onTap={() => open('escalate')}>
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
