import { formatTime, formatVoucherCode, type VoucherDto, voucherStatusLabels } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { useState } from 'react'
import { call } from '../../../api'
import '../points.css'
import { QrCode } from '../../../components/qr/qr-code'
import { ActionButton, Page } from '../../../ui'

/** A voucher with its QR code (drawn on device) and code text to show at the till. */
export default function Voucher() {
  const { params } = useRouter()
  const [v, setV] = useState<VoucherDto | null>(null)
  const load = () => {
    if (params.id) call('getVoucher', { params: { id: params.id } }).then(setV, () => undefined)
  }
  useDidShow(load)
  if (!v) return <Page className="muted">加载中…</Page>
  const cancel = async () => {
    const ok = await Taro.showModal({ title: '取消兑换', content: '取消后积分与库存将退回，确定吗？' })
    if (!ok.confirm) return
    setV(await call('cancelVoucher', { params: { id: v.id } }))
  }
  return (
    <Page>
      <View className="card center voucher">
        <Text className="card__title">{v.title}</Text>
        <Text className="muted">{v.merchantName}</Text>
        <Text className={`voucher__status voucher__status--${v.status}`}>
          {voucherStatusLabels[v.status]}
        </Text>
        <QrCode
          className={`voucher__qr${v.status === 'issued' ? '' : ' voucher__qr--used'}`}
          payload={v.qrPayload}
        />
        <Text className="voucher__code">{formatVoucherCode(v.code)}</Text>
        <Text className="muted">到店出示此券码，由商户扫码或输入核销</Text>
        <Text className="muted">有效期至 {formatTime(v.expiresAt)}</Text>
        {v.redeemedAt && <Text className="muted">核销时间 {formatTime(v.redeemedAt)}</Text>}
      </View>
      {v.status === 'issued' && (
        <ActionButton kind="danger" onTap={cancel}>
          取消兑换
        </ActionButton>
      )}
    </Page>
  )
}
