import {
  type NeedDetail,
  NeedEscalateInput,
  NeedRateInput,
  NeedReferInput,
  NeedReopenInput,
  NeedReplyInput,
  NeedResolveInput,
} from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import { useEffect, useState } from 'react'
import { call } from '../../../api'
import { ActionButton, Chips, Field, limitHint, TextField, useFieldErrors } from '../../../ui'

export type Panel = 'reply' | 'resolve' | 'refer' | 'escalate' | 'rate' | 'reopen'

/** Each panel's text: the body field it fills (so the server's message lands under it), its label and limit. */
const texts: Record<Panel, { field: string; label: string; hint: string; max: number }> = {
  reply: { field: 'note', label: '答复内容', hint: limitHint(NeedReplyInput.shape.note), max: 1000 },
  resolve: {
    field: 'reply',
    label: '办理结果',
    hint: limitHint(NeedResolveInput.shape.reply, '', '，必填，将告知居民'),
    max: 1000,
  },
  refer: { field: 'note', label: '转办说明', hint: limitHint(NeedReferInput.shape.note), max: 500 },
  escalate: {
    field: 'note',
    label: '情况说明',
    hint: limitHint(NeedEscalateInput.shape.note, '', '，可不填'),
    max: 500,
  },
  rate: {
    field: 'comment',
    label: '说说您的感受',
    hint: limitHint(NeedRateInput.shape.comment, '', '，可不填'),
    max: 300,
  },
  reopen: {
    field: 'reason',
    label: '哪里还不满意？',
    hint: limitHint(NeedReopenInput.shape.reason),
    max: 300,
  },
}
const labels = { to: '接收单位', departmentId: '须报到的部门' }
const picked = ['departmentId']
const stars = ['1', '2', '3', '4', '5'].map((s) => ({ value: s, label: `${s}星` }))

/**
 * The form of one action on a need (答复, 办结, 转办, 吹哨, 评价, 重新办理): limits stated before typing,
 * the server's message under the field it is about. `as` names the elder a family member acts for.
 */
export function NeedPanel(props: {
  need: NeedDetail
  panel: Panel
  as: { onBehalfOf: string } | undefined
  onDone: (next: NeedDetail, toast: string) => void
  onCancel: () => void
}) {
  const { need, panel, as } = props
  const [text, setText] = useState('')
  const [to, setTo] = useState('')
  const [departmentId, setDepartmentId] = useState('')
  const [score, setScore] = useState('5')
  const [internal, setInternal] = useState(false)
  const [departments, setDepartments] = useState<{ value: string; label: string }[] | null>(null)
  const form = useFieldErrors(labels, picked)

  useEffect(() => {
    if (panel !== 'escalate') return
    call('listDepartments', { query: { communityId: need.communityId } }).then(
      (r) => setDepartments(r.items.map((d) => ({ value: d.id, label: d.name }))),
      () => setDepartments([]),
    )
  }, [panel, need.communityId])

  const params = { id: need.id }
  const send = async () => {
    const t = text.trim()
    const [pending, toast] = {
      reply: () =>
        [call('addNeedReply', { params, body: { note: t, public: !internal } }), '已发送'] as const,
      resolve: () => [call('resolveNeed', { params, body: t ? { reply: t } : {} }), '已办结'] as const,
      refer: () => [call('referNeed', { params, body: { to: to.trim(), note: t } }), '已转办'] as const,
      escalate: () =>
        [
          call('escalateNeed', { params, body: { departmentId, ...(t ? { note: t } : {}) } }),
          '已吹哨',
        ] as const,
      rate: () =>
        [
          call('rateNeed', { params, body: { score: Number(score), ...(t ? { comment: t } : {}) } }, as),
          '感谢评价',
        ] as const,
      reopen: () => [call('reopenNeed', { params, body: { reason: t } }, as), '已重新办理'] as const,
    }[panel]()
    const next = await form.submit<NeedDetail>(pending)
    if (next) props.onDone(next, toast)
  }

  const t = texts[panel]
  return (
    <View className="card need-panel">
      {panel === 'rate' && <Chips className="stars" options={stars} value={score} onChange={setScore} />}
      {panel === 'refer' && (
        <Field
          className="need-extra"
          label="接收单位"
          value={to}
          {...form.bind('to', setTo)}
          maxlength={60}
          hint={limitHint(NeedReferInput.shape.to)}
          placeholder="如：区住建局"
        />
      )}
      {panel === 'escalate' && (
        <View className="need-extra">
          <Text className="section-label">须报到的部门</Text>
          {departments === null ? null : departments.length ? (
            <Chips
              className="need-departments"
              options={departments}
              value={departmentId}
              onChange={(v) => {
                setDepartmentId(v)
                form.clear('departmentId')
              }}
            />
          ) : (
            <Text className="muted">本街道尚未登记部门</Text>
          )}
          {form.errors.departmentId && (
            <Text className="error-text field__error">{form.errors.departmentId}</Text>
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
      <TextField
        className="need-text"
        label={panel === 'reply' && internal ? '备注内容（居民看不到）' : t.label}
        value={text}
        {...form.bind(t.field, setText)}
        maxlength={t.max}
        hint={t.hint}
      />
      <ActionButton className="need-panel-submit" onTap={send}>
        确定
      </ActionButton>
      <ActionButton kind="ghost" onTap={props.onCancel}>
        取消
      </ActionButton>
    </View>
  )
}
