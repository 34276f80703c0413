import { ComingSoon } from '../../components/coming-soon'

export default function Deliberation() {
  return (
    <ComingSoon
      mark="议"
      title="爱邻议事日"
      description="每月20日，社区的事大家商量着办：民事民提、民事民议、民事民办、民事民评。"
      points={['提议题', '附议', '线上投票', '评价落实']}
    />
  )
}
