import { ComingSoon } from '../../components/coming-soon'

export default function Points() {
  return (
    <ComingSoon
      mark="积"
      title="双积分 · 双兑换"
      description="参与志愿服务和社区事务攒积分，到合作商户兑换礼遇。"
      points={['志愿积分', '社区积分', '礼遇兑换']}
    />
  )
}
