import {
  type CockpitQuery,
  departmentKindLabels,
  type NeedFigures,
  needLevelLabels,
} from '@linli/shared-types'
import type { Actor } from '../../platform/policy'
import { streetCockpit } from './cockpit.service'
import { type Cell, xlsx } from './xlsx'

const pct = (v: number | null): Cell => (v === null ? '' : `${Math.round(v * 1000) / 10}%`)
const needCols = [
  '反映量',
  '有效件数',
  '按时受理',
  '解决(未重启)',
  '评价件数',
  '满意件数',
  '响应率',
  '解决率',
  '满意率',
]
const needCells = (f: NeedFigures): Cell[] => [
  f.total,
  f.counted,
  f.acceptedOnTime,
  f.resolvedKept,
  f.rated,
  f.satisfied,
  pct(f.responseRate),
  pct(f.resolveRate),
  pct(f.satisfactionRate),
]

/** The cockpit as an .xlsx workbook: overview by week, communities, departments, overdue list. */
export async function exportCockpitXlsx(actor: Actor, q: CockpitQuery): Promise<Uint8Array> {
  const c = await streetCockpit(actor, q)
  return xlsx([
    {
      name: '概览',
      rows: [
        ['街道', c.streetName, '日期', `${c.from}至${c.to}`],
        [],
        ['周（周一）', ...needCols],
        ['合计', ...needCells(c.needs)],
        ...c.weeks.map((w) => [w.week, ...needCells(w)]),
      ],
    },
    {
      name: '社区',
      rows: [
        [
          '社区',
          ...needCols,
          '超时件数',
          '表决议题',
          '投票数',
          '应投数',
          '参与率',
          '通过',
          '已落实',
          '积分发放',
          '积分兑换',
          '预约使用',
        ],
        ...c.communities.map((m) => [
          m.name,
          ...needCells(m.needs),
          m.overdue,
          m.deliberation.voted,
          m.deliberation.ballots,
          m.deliberation.eligible,
          pct(m.deliberation.turnoutRate),
          m.deliberation.passed,
          m.deliberation.carriedOut,
          m.points.issued,
          m.points.redeemed,
          m.bookingsUsed,
        ]),
      ],
    },
    {
      name: '部门',
      rows: [
        ['部门', '类别', '吹哨次数', '已报到', '按时报到', '已办结', '退回', '按时报到率', '办结率'],
        ...c.departments.map((d) => [
          d.name,
          departmentKindLabels[d.kind],
          d.whistles,
          d.reportedIn,
          d.reportedOnTime,
          d.resolved,
          d.handedBack,
          pct(d.reportInRate),
          pct(d.resolveRate),
        ]),
      ],
    },
    {
      name: '超时清单',
      rows: [
        ['编号', '社区', '标题', '层级', '时限', '超时(小时)'],
        ...c.overdue.map((n) => [
          n.no,
          n.communityName,
          n.title,
          needLevelLabels[n.level],
          n.deadlineAt,
          Math.round((-n.secondsLeft / 3600) * 10) / 10,
        ]),
      ],
    },
  ])
}
