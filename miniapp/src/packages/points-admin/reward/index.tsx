import {
  CreateRewardBody,
  defaultAccountNames,
  type MerchantDto,
  type PointAccount,
  type RewardDto,
  UpdateRewardBody,
} from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { call } from '../../../api'
import { firstIssueMessage } from '../../../lib/form'
import '../admin.css'
import { ActionButton, Chips, Field, limitHint, useFieldErrors } from '../../../ui'
import { dayStart, intOf, localDay, StaffPage, toast } from '../shared'

const labels = {
  merchantId: '商户',
  title: '名称',
  description: '说明',
  imageUrl: '图片地址',
  cost: '所需积分',
  stock: '库存',
  addStock: '增减库存',
  perResidentLimit: '每人限兑',
  validFrom: '开始日期',
  validUntil: '结束日期',
  voucherDays: '券有效天数',
}
/** The schema's field each input feeds (its message shows under it). */
const fieldOf: Record<string, string> = {
  limit: 'perResidentLimit',
  from: 'validFrom',
  until: 'validUntil',
  days: 'voucherDays',
}
const shape = CreateRewardBody.shape
const accountChoices = (['community', 'volunteer'] as const).map((a) => ({
  value: a,
  label: defaultAccountNames[a],
}))
const today = () => localDay(new Date().toISOString())
const inDays = (n: number) => localDay(new Date(Date.now() + n * 86_400_000).toISOString())

/** Create a reward, or edit one (stock is changed by adding or removing units). */
export default function RewardEdit() {
  const { params } = useRouter()
  const [reward, setReward] = useState<RewardDto | null>(null)
  const [merchants, setMerchants] = useState<MerchantDto[]>([])
  const [merchantId, setMerchantId] = useState('')
  const [account, setAccount] = useState<PointAccount>('community')
  const [active, setActive] = useState('true')
  const [f, setF] = useState({
    title: '',
    description: '',
    imageUrl: '',
    cost: '',
    stock: '',
    addStock: '',
    limit: '1',
    from: today(),
    until: inDays(90),
    days: '14',
  })
  const form = useFieldErrors(labels, ['merchantId'])
  const set = (k: keyof typeof f) =>
    form.bind(fieldOf[k] ?? k, (v: string) => setF((x) => ({ ...x, [k]: v })))

  useEffect(() => {
    call('listMerchants', { query: { limit: 100 } }).then(
      (r) => setMerchants(r.items),
      () => {},
    )
    if (!params.id) return
    call('getReward', { params: { id: params.id } }).then(
      (r) => {
        setReward(r)
        setAccount(r.account)
        setActive(String(r.active))
        setF((x) => ({
          ...x,
          title: r.title,
          description: r.description,
          imageUrl: r.imageUrl ?? '',
          cost: String(r.cost),
          limit: String(r.perResidentLimit),
          from: localDay(r.validFrom),
          until: localDay(r.validUntil),
          days: String(r.voucherDays),
        }))
      },
      () => {},
    )
  }, [params.id])

  const save = async () => {
    const common = {
      title: f.title,
      description: f.description.trim() || undefined,
      cost: intOf(f.cost),
      perResidentLimit: intOf(f.limit),
      validFrom: /^\d{4}-\d{2}-\d{2}$/.test(f.from) ? dayStart(f.from) : f.from,
      validUntil: /^\d{4}-\d{2}-\d{2}$/.test(f.until) ? dayStart(f.until) : f.until,
      voucherDays: intOf(f.days),
    }
    if (reward) {
      const parsed = UpdateRewardBody.safeParse({
        ...common,
        imageUrl: f.imageUrl.trim() || null,
        addStock: f.addStock.trim() ? intOf(f.addStock) : undefined,
        active: active === 'true',
      })
      form.check(parsed)
      if (!parsed.success) return toast(firstIssueMessage(parsed.error, labels))
      const saved = await form.submit(call('updateReward', { params: { id: reward.id }, body: parsed.data }))
      if (!saved) return
      setReward(saved)
      setF((x) => ({ ...x, addStock: '' }))
      return toast('已保存', 'success')
    }
    const parsed = CreateRewardBody.safeParse({
      ...common,
      merchantId,
      account,
      imageUrl: f.imageUrl.trim() || undefined,
      stock: intOf(f.stock),
    })
    form.check(parsed)
    if (!parsed.success) return toast(firstIssueMessage(parsed.error, labels, ['merchantId']))
    const created = await form.submit(call('createReward', { body: parsed.data }))
    if (!created) return
    void toast('已新增', 'success')
    await Taro.redirectTo({ url: `/packages/points-admin/reward/index?id=${created.id}` })
  }

  return (
    <StaffPage>
      {() => (
        <View className="card reward-form">
          <Text className="card__title">{reward ? `修改「${reward.title}」` : '新增礼遇'}</Text>
          {reward ? (
            <Text className="muted">
              {reward.merchantName} · {defaultAccountNames[reward.account]} · 当前库存 {reward.stock}
            </Text>
          ) : (
            <>
              <Text className="section-label">商户</Text>
              <Chips
                className="reward-merchant"
                options={merchants.map((m) => ({ value: m.id, label: m.name }))}
                value={merchantId}
                onChange={setMerchantId}
              />
              <Text className="section-label">兑换使用的账户</Text>
              <Chips
                className="reward-account"
                options={accountChoices}
                value={account}
                onChange={(v) => setAccount(v as PointAccount)}
              />
            </>
          )}
          <Field
            className="reward-title"
            label="名称"
            value={f.title}
            {...set('title')}
            maxlength={40}
            hint={limitHint(shape.title)}
          />
          <Field
            className="reward-description"
            label="说明"
            value={f.description}
            {...set('description')}
            maxlength={500}
            hint={limitHint(shape.description, '', '，可不填')}
          />
          <Field
            className="reward-image"
            label="图片地址（https，可选）"
            value={f.imageUrl}
            {...set('imageUrl')}
            maxlength={500}
            hint="https 或站内路径，最多500个字符"
          />
          <Field
            className="reward-cost"
            label="所需积分"
            type="number"
            value={f.cost}
            {...set('cost')}
            hint={limitHint(shape.cost, '分')}
          />
          {reward ? (
            <Field
              className="reward-add-stock"
              label="增减库存（如 10 或 -5）"
              value={f.addStock}
              {...set('addStock')}
              hint="每次最多增减100000件"
            />
          ) : (
            <Field
              className="reward-stock"
              label="库存"
              type="number"
              value={f.stock}
              {...set('stock')}
              hint={limitHint(shape.stock, '件')}
            />
          )}
          <Field
            className="reward-limit"
            label="每人限兑次数"
            type="number"
            value={f.limit}
            {...set('limit')}
            hint={limitHint(shape.perResidentLimit, '次')}
          />
          <Field
            className="reward-from"
            label="开始日期（YYYY-MM-DD）"
            value={f.from}
            {...set('from')}
            hint="如 2026-01-01"
          />
          <Field
            className="reward-until"
            label="结束日期（YYYY-MM-DD）"
            value={f.until}
            {...set('until')}
            hint="须晚于开始日期"
          />
          <Field
            className="reward-days"
            label="券有效天数"
            type="number"
            value={f.days}
            {...set('days')}
            hint={limitHint(shape.voucherDays, '天')}
          />
          {reward && (
            <Chips
              className="reward-active"
              options={[
                { value: 'true', label: '上架' },
                { value: 'false', label: '下架' },
              ]}
              value={active}
              onChange={setActive}
            />
          )}
          <ActionButton className="reward-save" onTap={save}>
            {reward ? '保存修改' : '新增'}
          </ActionButton>
        </View>
      )}
    </StaffPage>
  )
}
