import type { CommunityDetail, CommunitySummary, ResidencyClaim } from '@linli/shared-types'
import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useEffect, useRef, useState } from 'react'
import { ApiError, call } from '../../../api'
import { randomKey } from '../../../api/client'
import { ActionButton, Chips, Field, type FieldErrors, issuesByField, problemIssues } from '../../../ui'
import { type ClaimDraft, emptyDraft, validateClaim } from './claim-draft'
import { ConsentNotice } from './consent'

const choices = (nodes: { id: string; name: string }[] | undefined) =>
  (nodes ?? []).map((n) => ({ value: n.id, label: n.name }))

/** Community → grid → courtyard → building, then unit, room, name and phone. */
export function ClaimForm(props: {
  title: string
  initial?: Partial<ClaimDraft>
  onSubmitted: (claim: ResidencyClaim) => void
}) {
  const [draft, setDraft] = useState<ClaimDraft>({ ...emptyDraft, ...props.initial })
  const [communities, setCommunities] = useState<CommunitySummary[]>([])
  const [detail, setDetail] = useState<CommunityDetail | null>(null)
  const [error, setError] = useState('')
  const [fields, setFields] = useState<FieldErrors>({})
  const [agreed, setAgreed] = useState(false)
  // One key per submission intent: a retry after a lost response replays instead of filing twice.
  const key = useRef(randomKey())

  useEffect(() => {
    call('listCommunities', { query: {} }).then(
      (r) => setCommunities(r.items),
      () => {},
    )
  }, [])
  useEffect(() => {
    let current = true
    setDetail(null)
    if (draft.communityId)
      call('getCommunity', { params: { id: draft.communityId } }).then(
        (d) => current && setDetail(d),
        () => {},
      )
    return () => {
      current = false
    }
  }, [draft.communityId])

  const set = (patch: Partial<ClaimDraft>) => {
    setDraft((d) => ({ ...d, ...patch }))
    setError('')
    setFields((f) => {
      const next = { ...f }
      for (const k of Object.keys(patch)) delete next[k]
      return next
    })
  }
  const grid = detail?.grids.find((g) => g.id === draft.gridId)
  const courtyard = grid?.courtyards.find((c) => c.id === draft.courtyardId)

  const submit = async () => {
    const checked = validateClaim(draft)
    if (!checked.ok) {
      setFields(checked.fields)
      await Taro.showToast({ title: checked.message, icon: 'none' })
      return
    }
    if (!agreed) {
      setError('请阅读并同意《个人信息处理规则》')
      return
    }
    try {
      const claim = await call(
        'submitResidencyClaim',
        { body: checked.body },
        { idempotencyKey: key.current },
      )
      key.current = randomKey()
      await Taro.showToast({ title: '已提交，等待社区审核', icon: 'none' })
      props.onSubmitted(claim)
    } catch (e) {
      if (e instanceof ApiError && e.code !== 'NETWORK_ERROR') {
        key.current = randomKey()
        const byField = issuesByField(problemIssues(e))
        setFields(byField)
        if (!Object.keys(byField).length) setError(e.title)
      }
    }
  }

  /** WeChat's getPhoneNumber button gives a one-time code; the BFF exchanges it for the number. */
  const fillPhone = async (e: { detail: { code?: string; errMsg?: string } }) => {
    const { code } = e.detail
    if (!code) return // declined: the resident types the number instead
    try {
      const got = await call('exchangePhoneCode', { body: { code } })
      if (got.countryCode !== '86') {
        setFields((f) => ({ ...f, phone: '微信绑定的不是中国大陆手机号，请手动填写' }))
        return
      }
      set({ phone: got.phone })
    } catch {
      // The client has shown the reason (授权已失效…); typing stays possible.
    }
  }

  return (
    <View className="card claim-form">
      <Text className="card__title">{props.title}</Text>
      <Text className="muted">请如实填写住址，社区工作人员核实后即完成认证</Text>

      <Text className="section-label">所在社区</Text>
      <Chips
        className="pick-community"
        options={choices(communities)}
        value={draft.communityId}
        onChange={(communityId) => set({ communityId, gridId: '', courtyardId: '', buildingId: '' })}
      />
      {detail && (
        <>
          <Text className="section-label">网格</Text>
          <Chips
            className="pick-grid"
            options={choices(detail.grids)}
            value={draft.gridId}
            onChange={(gridId) => set({ gridId, courtyardId: '', buildingId: '' })}
          />
        </>
      )}
      {grid && (
        <>
          <Text className="section-label">院落 / 小区</Text>
          <Chips
            className="pick-courtyard"
            options={choices(grid.courtyards)}
            value={draft.courtyardId}
            onChange={(courtyardId) => set({ courtyardId, buildingId: '' })}
          />
        </>
      )}
      {courtyard && (
        <>
          <Text className="section-label">楼栋</Text>
          <Chips
            className="pick-building"
            options={choices(courtyard.buildings)}
            value={draft.buildingId}
            onChange={(buildingId) => set({ buildingId })}
          />
        </>
      )}

      <Field
        className="claim-unit"
        error={fields.unit}
        label="单元"
        value={draft.unit}
        onInput={(unit) => set({ unit })}
        hint="填数字，最多10位"
        placeholder="例如 2"
        maxlength={10}
      />
      <Field
        className="claim-room"
        error={fields.room}
        label="门牌号"
        value={draft.room}
        onInput={(room) => set({ room })}
        placeholder="例如 301"
        maxlength={10}
      />
      <Field
        className="claim-name"
        error={fields.realName}
        label="真实姓名"
        value={draft.realName}
        onInput={(realName) => set({ realName })}
        hint="与身份证一致，仅审核您的社区工作人员可见"
        placeholder="请输入真实姓名"
      />
      <Field
        className="claim-phone"
        error={fields.phone}
        label="手机号"
        type="number"
        value={draft.phone}
        onInput={(phone) => set({ phone })}
        hint="11位手机号，用于社区联系您"
        placeholder="请输入手机号"
        maxlength={11}
      />
      {process.env.TARO_ENV === 'weapp' && (
        <Button
          className="btn btn--ghost claim-phone-wechat"
          openType="getPhoneNumber"
          onGetPhoneNumber={fillPhone}
        >
          填入微信绑定的手机号
        </Button>
      )}

      {['communityId', 'courtyardId', 'buildingId'].map(
        (k) =>
          fields[k] && (
            <Text key={k} className="error-text claim-error">
              {fields[k]}
            </Text>
          ),
      )}
      <ConsentNotice
        agreed={agreed}
        onChange={(v) => {
          setAgreed(v)
          setError('')
        }}
      />
      {error && <Text className="error-text claim-error">{error}</Text>}
      <ActionButton className="claim-submit" onTap={submit}>
        提交认证
      </ActionButton>
    </View>
  )
}
