import { isDuplicateKey } from '../../platform/http/problem'
import { applyStep, type Claim, stepDone } from './access'
import { StepClaim, Topic, type TopicDoc } from './deliberation.model'
import { afterTriage } from './screening.service'
import { RECOVER_AFTER_MS, resumeClosing, resumeOpening } from './voting.service'

/**
 * Finishes one-time steps whose claimant died between claiming the step and writing the topic (or
 * its follow-ups): every claim not `done` after RECOVER_AFTER_MS. Safe with several sweepers at
 * once: each recovery attempt n is taken by inserting the lease `<key>#<n>` (unique _id), and the
 * winner pushes the claim's `at` forward, so another sweeper retries only if this one dies too.
 */
export async function recoverSteps(secret: string, now: Date): Promise<number> {
  const stale = new Date(now.getTime() - RECOVER_AFTER_MS)
  const claims = (await StepClaim.find({ done: false, at: { $lt: stale } })
    .sort({ at: 1 })
    .limit(50)
    .lean()) as unknown as Claim[]
  let handled = 0
  for (const claim of claims) if (await recoverStep(claim, secret, now)) handled++
  return handled
}

async function takeLease(claim: Claim, now: Date): Promise<boolean> {
  const attempt = (claim.attempts ?? 0) + 1
  try {
    await StepClaim.create({ _id: `${claim._id}#${attempt}`, at: now, done: true })
  } catch (error) {
    if (isDuplicateKey(error)) return false
    throw error
  }
  await StepClaim.updateOne({ _id: claim._id }, { $set: { attempts: attempt, at: now } })
  return true
}

async function recoverStep(claim: Claim, secret: string, now: Date): Promise<boolean> {
  const topic = (await Topic.findById(claim.topicId).lean()) as TopicDoc | null
  if (!claim.step || !topic) {
    await stepDone(claim._id)
    return false
  }
  if (!(await takeLease(claim, now))) return false
  const id = String(topic._id)
  if (!claim.from.includes(topic.status)) {
    // The topic was written; only the follow-ups may be missing. Triage's are keyed (at most once);
    // an interrupted opening or closing (`opening`/`closing`) is finished by sweepVoting.
    if (claim.step === 'triage' && topic.status === claim.set.find((p) => p.path === 'status')?.value)
      await afterTriage(topic, claim, false)
    await stepDone(claim._id)
    return false
  }
  // Re-stamp when opening/closing (re)started, so sweepVoting's stale-step loop leaves it to us.
  const stamp =
    claim.step === 'open'
      ? { 'voting.openedAt': now }
      : claim.step === 'close'
        ? { 'voting.closedAt': now }
        : {}
  const applied = await applyStep(claim, stamp)
  if (!applied) return false
  if (claim.step === 'triage') {
    await afterTriage(applied, claim, true)
    await stepDone(claim._id)
  } else if (claim.step === 'open') await resumeOpening(claim._id, id)
  else await resumeClosing(claim._id, id, secret)
  return true
}
