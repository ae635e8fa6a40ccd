import type { Clock } from '../core/clock.js';
import { OrchestratorError } from '../core/errors.js';
import type { ApiMetrics } from './api-metrics.js';
import type { KeyRing, Role } from './auth.js';
import type { EventLog } from './event-log.js';
import type { EnginePort, HealerPort, MonitorPort } from './ports.js';
import type { RateLimiter } from './rate-limiter.js';
import type { MiddlewareHandler } from 'hono';
import type { ApiEnv } from './http.js';

/** What every route module is given. @internal */
export interface ApiContext {
  engine: EnginePort;
  healer: HealerPort | undefined;
  monitor: MonitorPort | undefined;
  clock: Clock;
  events: EventLog;
  metrics: ApiMetrics;
  keys: KeyRing;
  limiter: RateLimiter;
  /** Route guard: authenticates, checks `role`, rate-limits when `mutating`. */
  guard(role: Role, mutating?: boolean): MiddlewareHandler<ApiEnv>;
}

/** The healer or monitor of the server, or the 501 that says it is not running here. @internal */
export function partOr501<K extends 'healer' | 'monitor'>(
  ctx: ApiContext,
  part: K,
): NonNullable<ApiContext[K]> {
  const found = ctx[part];
  if (!found)
    throw new OrchestratorError(
      'ERR_NOT_IMPLEMENTED',
      `the ${part} is not running in this server (start it with the ${part} enabled)`,
    );
  return found as NonNullable<ApiContext[K]>;
}
