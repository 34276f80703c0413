import type { Sweeper } from '../../jobs/sweepers'
import { purgeUnattachedPhotos } from './needs.photos'

/** Removes need photos uploaded but never attached to a need, a day after their upload. */
export const needPhotosSweeper: Sweeper = {
  name: 'needPhotos',
  everyMs: 3_600_000,
  run: (_deps, now) => purgeUnattachedPhotos(now),
}
