import type { CommunityDetail, CommunitySummary, ResidencyClaim } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useEffect, useRef, useState } from 'react'
import { ApiError, call } from '../../../api'
import { randomKey } from '../../../api/client'
import { ActionButton, Chips, Field } from '../../../ui'
import { type ClaimDraft, emptyDraft, validateClaim } from './claim-draft'

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
  }
  const grid = detail?.grids.find((g) => g.id === draft.gridId)
  const courtyard = grid?.courtyards.find((c) => c.id === draft.courtyardId)

  const submit = async () => {
    const checked = validateClaim(draft)
    if (!checked.ok) {
      setError(checked.message)
      await Taro.showToast({ title: checked.message, icon: 'none' })
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
        setError(e.problem.errors?.[0]?.message ?? e.title)
      }
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
        label="单元"
        value={draft.unit}
        onInput={(unit) => set({ unit })}
        placeholder="例如 2"
        maxlength={10}
      />
      <Field
        className="claim-room"
        label="门牌号"
        value={draft.room}
        onInput={(room) => set({ room })}
        placeholder="例如 301"
        maxlength={10}
      />
      <Field
        className="claim-name"
        label="真实姓名"
        value={draft.realName}
        onInput={(realName) => set({ realName })}
        placeholder="仅社区工作人员审核时可见"
      />
      <Field
        className="claim-phone"
        label="手机号"
        type="number"
        value={draft.phone}
        onInput={(phone) => set({ phone })}
        placeholder="11位手机号"
        maxlength={11}
      />

      {error && <Text className="error-text claim-error">{error}</Text>}
      <ActionButton className="claim-submit" onTap={submit}>
        提交认证
      </ActionButton>
    </View>
  )
}
