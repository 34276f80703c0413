import type { ResidencyClaim } from '@linli/shared-types'
import { formatTime } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'

/** A claim's details as label/value rows. */
export function ClaimRows({ claim }: { claim: ResidencyClaim }) {
  const rows: [string, string][] = [
    ['社区', claim.communityName],
    ['院落', claim.courtyardName],
    ['楼栋', claim.buildingName],
    ['单元', claim.unit],
    ['门牌号', claim.room],
    ['真实姓名', claim.realName],
    ['手机号', claim.phone],
    ['提交时间', formatTime(claim.createdAt)],
  ]
  if (claim.reviewedAt) rows.push(['审核时间', formatTime(claim.reviewedAt)])
  return (
    <View>
      {rows.map(([label, value]) => (
        <View key={label} className="row">
          <Text className="row__label">{label}</Text>
          <Text className="row__value">{value}</Text>
        </View>
      ))}
    </View>
  )
}
