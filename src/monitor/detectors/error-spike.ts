import type { OccurrenceCounts } from '../../store/store.js';
import { formatDuration, type ErrorSpikeFinding } from '../finding.js';
import type { ResolvedMonitorOptions } from '../monitor-options.js';

/** The windows an error-spike scan counts in: the current one and the baseline before it. */
export function spikeWindows(
  now: number,
  options: ResolvedMonitorOptions,
): { baselineSince: number; recentSince: number } {
  const recentSince = now - options.spikeWindowMs;
  return {
    baselineSince: recentSince - options.spikeWindowMs * options.spikeBaselineWindows,
    recentSince,
  };
}

/**
 * Patterns whose occurrences in the last window reach `spikeFactor` times their mean per window
 * over the baseline (and at least `spikeMinCount`). One finding per pattern per window.
 */
export function detectErrorSpikes(
  counts: readonly OccurrenceCounts[],
  now: number,
  options: ResolvedMonitorOptions,
): ErrorSpikeFinding[] {
  const findings: ErrorSpikeFinding[] = [];
  for (const { patternId, recent, baseline } of counts) {
    const baselinePerWindow = baseline / options.spikeBaselineWindows;
    if (recent < options.spikeMinCount || recent < options.spikeFactor * baselinePerWindow)
      continue;
    const windowStart = Math.floor(now / options.spikeWindowMs) * options.spikeWindowMs;
    findings.push({
      kind: 'error_spike',
      key: `error_spike:${patternId}:${windowStart}`,
      summary:
        `pattern ${patternId}: ${recent} occurrences in the last ${formatDuration(options.spikeWindowMs)}, ` +
        `against ${Math.round(baselinePerWindow * 10) / 10} per window before`,
      detectedAt: now,
      patternId,
      recent,
      baselinePerWindow,
      windowMs: options.spikeWindowMs,
      windowStart,
    });
  }
  return findings;
}
