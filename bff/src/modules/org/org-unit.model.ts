import { DepartmentKind, OrgLevel } from '@linli/shared-types'
import mongoose, { type InferSchemaType, Schema } from 'mongoose'

/**
 * The org tree (街道 → 社区 → 网格 → 院落 → 楼栋) in one collection. Each unit carries the ids of its
 * ancestors so scope checks and subtree queries need no joins. Departments and partner bodies
 * (城管, 派出所, 物业, 业委会 …) are units of level `department` hanging off a street or community.
 */
const orgUnitSchema = new Schema(
  {
    level: { type: String, enum: [...OrgLevel.options, 'department'], required: true },
    /** Departments only. */
    kind: { type: String, enum: [...DepartmentKind.options, null], default: null },
    name: { type: String, required: true },
    parentId: { type: Schema.Types.ObjectId, default: null },
    streetId: { type: Schema.Types.ObjectId, default: null },
    communityId: { type: Schema.Types.ObjectId, default: null },
    gridId: { type: Schema.Types.ObjectId, default: null },
    courtyardId: { type: Schema.Types.ObjectId, default: null },
    /** Communities only: IANA zone for business rules, and the day of month of 爱邻议事日. */
    timezone: { type: String, default: 'Asia/Shanghai' },
    deliberationDayOfMonth: { type: Number, default: 20 },
    sortOrder: { type: Number, default: 0 },
  },
  { timestamps: true },
)
orgUnitSchema.index({ parentId: 1, name: 1 }, { unique: true })
orgUnitSchema.index({ level: 1, streetId: 1 })
orgUnitSchema.index({ communityId: 1, level: 1 })

export type OrgUnitDoc = InferSchemaType<typeof orgUnitSchema> & { _id: mongoose.Types.ObjectId }
export const OrgUnit = mongoose.model('OrgUnit', orgUnitSchema, 'org_units')
