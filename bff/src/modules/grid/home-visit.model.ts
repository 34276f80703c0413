import mongoose, { type InferSchemaType, Schema } from 'mongoose'

/** One 入户走访 (or a planned one): seen only by the grid's workers and the community's staff. */
const homeVisitSchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    gridId: { type: Schema.Types.ObjectId, required: true },
    courtyardId: { type: Schema.Types.ObjectId, required: true },
    buildingId: { type: Schema.Types.ObjectId, required: true },
    place: { type: String, required: true },
    household: { type: String, required: true },
    residentId: { type: Schema.Types.ObjectId, default: null },
    residentName: { type: String, default: null },
    /** YYYY-MM-DD in the community's zone. */
    date: { type: String, required: true },
    planned: { type: Boolean, default: false },
    topics: { type: [String], default: [] },
    note: { type: String, default: '' },
    followUpNeedId: { type: Schema.Types.ObjectId, default: null },
    byId: { type: Schema.Types.ObjectId, required: true },
    byName: { type: String, required: true },
  },
  { timestamps: true },
)
homeVisitSchema.index({ gridId: 1, createdAt: -1 })
homeVisitSchema.index({ courtyardId: 1, createdAt: -1 })
homeVisitSchema.index({ communityId: 1, createdAt: -1 })

export type HomeVisitDoc = InferSchemaType<typeof homeVisitSchema> & {
  _id: mongoose.Types.ObjectId
  createdAt: Date
}
export const HomeVisitModel = mongoose.model('HomeVisit', homeVisitSchema, 'home_visits')
