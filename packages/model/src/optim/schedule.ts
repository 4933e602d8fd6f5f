/** Learning rate as a function of the optimizer step: linear warmup, then linear, cosine or no decay. */
export interface LearningRateSchedule {
  peakLearningRate: number;
  /** Steps of linear warmup from peak / warmupSteps up to the peak. 0 starts at the peak. */
  warmupSteps: number;
  /** Steps of the whole run; the decay ends here. */
  totalSteps: number;
  decay: "linear" | "cosine" | "constant";
  /** Floor the decay approaches at `totalSteps`. Defaults to 0. */
  minLearningRate?: number;
}

/**
 * Returns the learning rate of 0-based `step`. During warmup it is peak · (step + 1) / warmupSteps.
 * After warmup, with progress p = (step - warmupSteps) / (totalSteps - warmupSteps) in [0, 1), it is
 * min + (peak - min) · (1 - p) for linear decay and min + (peak - min) · (1 + cos(π p)) / 2 for cosine.
 */
export function learningRateAt(schedule: LearningRateSchedule, step: number): number {
  const { peakLearningRate: peak, warmupSteps, totalSteps, decay } = schedule;
  const min = schedule.minLearningRate ?? 0;
  if (step < warmupSteps) return (peak * (step + 1)) / warmupSteps;
  if (decay === "constant") return peak;
  const progress = Math.min(1, (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
  if (decay === "linear") return min + (peak - min) * (1 - progress);
  return min + ((peak - min) * (1 + Math.cos(Math.PI * progress))) / 2;
}

/** Throws a RangeError naming every invalid field of a schedule. */
export function validateSchedule(schedule: LearningRateSchedule): void {
  const problems: string[] = [];
  if (!(schedule.peakLearningRate > 0)) problems.push(`peakLearningRate must be positive, received ${schedule.peakLearningRate}`);
  if (!Number.isInteger(schedule.warmupSteps) || schedule.warmupSteps < 0) problems.push(`warmupSteps must be a non-negative integer, received ${schedule.warmupSteps}`);
  if (!Number.isInteger(schedule.totalSteps) || schedule.totalSteps < 1) problems.push(`totalSteps must be a positive integer, received ${schedule.totalSteps}`);
  const min = schedule.minLearningRate ?? 0;
  if (!(min >= 0 && min <= schedule.peakLearningRate)) problems.push(`minLearningRate must be in [0, peakLearningRate], received ${min}`);
  if (!["linear", "cosine", "constant"].includes(schedule.decay)) problems.push(`decay must be "linear", "cosine" or "constant", received ${String(schedule.decay)}`);
  if (problems.length > 0) throw new RangeError(`Invalid learning rate schedule: ${problems.join("; ")}`);
}
