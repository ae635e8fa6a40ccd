import type { ActionId } from '../../knowledge/actions.js';
import type { Json } from '../../core/types.js';
import type { Remedy } from '../remedy.js';
import type { Pattern } from '../../core/types.js';
import type { RemedyServices } from '../remedy-services.js';
import {
  clearCache,
  fixerRemedy,
  freeDiskSpace,
  refreshCredentials,
  rollbackDeployment,
} from './fixer-remedy.js';
import { escalate, failFast, restartJob, resumeFromCheckpoint } from './job-control.js';
import {
  increaseMemory,
  increaseTimeout,
  raiseFileDescriptorLimit,
  reduceBatchSize,
  reduceContext,
  repairJsonOutput,
  switchModel,
} from './knob-remedy.js';
import { openCircuitBreaker } from './open-circuit-breaker.js';
import { reduceConcurrency } from './reduce-concurrency.js';
import { reconnect, resetConnectionPool } from './reset-connections.js';
import { retry } from './retry.js';
import { retryWithBackoff } from './retry-with-backoff.js';
import { waitForRateLimit } from './wait-for-rate-limit.js';

/** Every action of the catalogue, made to act. */
export const REMEDIES: { readonly [K in ActionId]: Remedy<Record<string, Json>> } = {
  retry,
  retry_with_backoff: retryWithBackoff,
  wait_for_rate_limit: waitForRateLimit,
  reduce_concurrency: reduceConcurrency,
  reduce_batch_size: reduceBatchSize,
  increase_timeout: increaseTimeout,
  switch_model: switchModel,
  reduce_context: reduceContext,
  repair_json_output: repairJsonOutput,
  reconnect,
  reset_connection_pool: resetConnectionPool,
  open_circuit_breaker: openCircuitBreaker,
  resume_from_checkpoint: resumeFromCheckpoint,
  restart_job: restartJob,
  clear_cache: clearCache,
  increase_memory: increaseMemory,
  free_disk_space: freeDiskSpace,
  raise_file_descriptor_limit: raiseFileDescriptorLimit,
  refresh_credentials: refreshCredentials,
  rollback_deployment: rollbackDeployment,
  fail_fast: failFast,
  escalate,
} as unknown as { readonly [K in ActionId]: Remedy<Record<string, Json>> };

/** Actions that end the job's healing instead of running it again. */
export const TERMINAL_ACTIONS: readonly ActionId[] = ['fail_fast', 'escalate'];

/** Actions whose remedy is always a user's fixer. */
const FIXER_ONLY: readonly ActionId[] = [
  clearCache,
  freeDiskSpace,
  refreshCredentials,
  rollbackDeployment,
].map((remedy) => remedy.id);
const BY_FIXER = new Map<ActionId, Remedy<Record<string, Json>>>();

/**
 * The remedy that performs an action for a pattern: a fixer the user registered for it (for the
 * action, the pattern or its category) when there is one, since the user's code is how this
 * deployment does it (memory raised through the orchestrator's API rather than a knob, say);
 * otherwise the built-in one.
 */
export function remedyFor(
  action: ActionId,
  pattern: Pattern | undefined,
  services: Pick<RemedyServices, 'fixerFor'>,
): Remedy<Record<string, Json>> {
  if (FIXER_ONLY.includes(action) || services.fixerFor(action, pattern) === undefined)
    return REMEDIES[action];
  let remedy = BY_FIXER.get(action);
  if (!remedy) BY_FIXER.set(action, (remedy = fixerRemedy(action)));
  return remedy;
}
