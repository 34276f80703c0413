import { dayCheckInPayload, formatTime } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { useCallback } from 'react'
import { call } from '../../../api'
import { QrCode } from '../../../components/qr/qr-code'
import { Loadable, Page, useLoad } from '../../../ui'
import '../meeting.css'

/** For the door of the meeting room: residents scan the QR, or type the code below it. */
export default function Door() {
  const { id = '' } = useRouter().params
  const day = useLoad(useCallback(() => call('getDeliberationDay', { params: { id } }), [id]))
  return (
    <Page className="door">
      <Loadable load={day}>
        {(d) => (
          <View className="card center">
            <Text className="card__title">爱邻议事日 · 扫码签到</Text>
            <Text className="muted">
              {formatTime(d.startsAt)} · {d.place}
            </Text>
            {d.checkInCode ? (
              <>
                <View className="door__qr">
                  <QrCode payload={dayCheckInPayload(d.id, d.checkInCode)} size={560} />
                </View>
                <Text className="muted">不能扫码时，在「议事」页点「现场签到」输入：</Text>
                <Text className="door__code">
                  {d.checkInCode.slice(0, 5)} {d.checkInCode.slice(5)}
                </Text>
              </>
            ) : (
              <Text className="muted">只有本社区工作人员可以查看签到码</Text>
            )}
            <Text className="muted">已签到 {d.attendanceCount} 人</Text>
          </View>
        )}
      </Loadable>
    </Page>
  )
}
