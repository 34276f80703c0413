import { randomInt } from 'node:crypto'
import type { FamilyBinding } from '@linli/shared-types'
import { AppError, fail } from '../../platform/errors'
import { type Actor, requireVerifiedResident } from '../../platform/policy'
import { User } from '../auth/user.model'
import { type FamilyBindingDoc, FamilyBindingModel } from './family.model'

const CODE_TTL_MS = 24 * 60 * 60_000
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
/** 10 characters of 32: 50 bits, typed once by the other side within a day. */
const newCode = () => Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')

async function dto(b: FamilyBindingDoc, actor: Actor): Promise<FamilyBinding> {
  const ids = [b.elderId, b.memberId].filter(Boolean)
  const users = await User.find({ _id: { $in: ids } }, { nickname: 1 }).lean()
  const name = new Map(users.map((u) => [String(u._id), u.nickname]))
  const party = (id: unknown) => (id ? { id: String(id), name: name.get(String(id)) ?? '' } : null)
  const myRole = String(b.elderId) === actor.userId ? 'elder' : 'member'
  const pending = b.status === 'pending'
  return {
    id: String(b._id),
    elder: party(b.elderId),
    member: party(b.memberId),
    myRole,
    status: b.status as FamilyBinding['status'],
    code: pending && b.initiator === myRole ? b.code : null,
    codeExpiresAt: pending ? b.codeExpiresAt.toISOString() : null,
    activeSince: b.activeSince ? b.activeSince.toISOString() : null,
    revokedAt: b.revokedAt ? b.revokedAt.toISOString() : null,
  }
}

export async function requestBinding(actor: Actor, as: 'elder' | 'member'): Promise<FamilyBinding> {
  if (as === 'elder') requireVerifiedResident(actor)
  const created = await FamilyBindingModel.create({
    elderId: as === 'elder' ? actor.userId : null,
    memberId: as === 'member' ? actor.userId : null,
    initiator: as,
    code: newCode(),
    codeExpiresAt: new Date(Date.now() + CODE_TTL_MS),
  })
  return dto(created.toObject() as FamilyBindingDoc, actor)
}

/** The other side types the code: the binding becomes active (both have now confirmed). */
export async function confirmBinding(actor: Actor, code: string): Promise<FamilyBinding> {
  const b = (await FamilyBindingModel.findOne({ code, status: 'pending' }).lean()) as FamilyBindingDoc | null
  if (!b || b.codeExpiresAt < new Date()) fail('FAMILY_CODE_INVALID')
  const asElder = b!.initiator === 'member'
  const other = asElder ? b!.memberId : b!.elderId
  if (String(other) === actor.userId) fail('FAMILY_SELF_BINDING')
  if (asElder) requireVerifiedResident(actor)
  const elderId = asElder ? actor.userId : String(b!.elderId)
  const memberId = asElder ? String(b!.memberId) : actor.userId
  if (await FamilyBindingModel.exists({ elderId, memberId, status: 'active' }))
    fail('FAMILY_BINDING_STATE_CONFLICT', '你们已经绑定')
  const active = (await FamilyBindingModel.findOneAndUpdate(
    { _id: b!._id, status: 'pending' },
    {
      $set: { elderId, memberId, status: 'active', activeSince: new Date(), code: `done:${b!._id}` },
    },
    { new: true },
  ).lean()) as FamilyBindingDoc | null
  if (!active) fail('FAMILY_CODE_INVALID')
  return dto(active!, actor)
}

const mine = (actor: Actor) => ({ $or: [{ elderId: actor.userId }, { memberId: actor.userId }] })

export async function revokeBinding(actor: Actor, id: string): Promise<FamilyBinding> {
  const b = await FamilyBindingModel.findOne({ $and: [{ _id: id }, mine(actor)] }).lean()
  if (!b) throw new AppError('NOT_FOUND')
  const revoked = (await FamilyBindingModel.findOneAndUpdate(
    { _id: id, status: { $in: ['pending', 'active'] } },
    { $set: { status: 'revoked', revokedAt: new Date(), revokedBy: actor.userId, code: `done:${id}` } },
    { new: true },
  ).lean()) as FamilyBindingDoc | null
  if (!revoked) fail('FAMILY_BINDING_STATE_CONFLICT')
  return dto(revoked!, actor)
}

export async function listFamily(actor: Actor): Promise<{ items: FamilyBinding[] }> {
  const rows = (await FamilyBindingModel.find({
    $or: [
      { elderId: actor.userId, status: { $in: ['pending', 'active'] } },
      { memberId: actor.userId, status: { $in: ['pending', 'active'] } },
    ],
  })
    .sort({ createdAt: -1 })
    .limit(50)
    .lean()) as FamilyBindingDoc[]
  return { items: await Promise.all(rows.map((b) => dto(b, actor))) }
}

/** Whether `memberId` may act for `elderId` now (an active binding). */
export async function activeBinding(memberId: string, elderId: string): Promise<boolean> {
  return !!(await FamilyBindingModel.exists({ memberId, elderId, status: 'active' }))
}
