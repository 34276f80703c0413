/** Seeds the demo street into the database at MONGODB_URI (once; a second run changes nothing). */
import mongoose from 'mongoose'
import { connectDb } from '../bff/src/platform/db'
import { seedDemo } from '../bff/src/seed/demo'

const uri = process.env.MONGODB_URI
if (!uri) throw new Error('Set MONGODB_URI to the database to seed')
await connectDb(uri)
const { created, demo } = await seedDemo()
console.log(created ? 'demo data created' : 'demo data already present', JSON.stringify(demo, null, 2))
await mongoose.disconnect()
