import { ComingSoon } from '../../components/coming-soon'

export default function Booking() {
  return (
    <ComingSoon
      mark="约"
      title="社区共享空间预约"
      description="会议室、活动室、球场和共享厨房，免费预约，就近使用。"
      points={['按时段预约', '社区审核', '扫码签到']}
    />
  )
}
