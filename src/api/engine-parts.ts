import type { Clock } from '../core/clock.js';
import type { Store } from '../store/store.js';
import { healerPortOf, type HealFunctions } from './healer-port.js';
import { monitorPortOf } from './monitor-port.js';
import type { HealerPort, MonitorPort } from './ports.js';

/**
 * The healer and monitor as the API calls them: `mm.heal({ jobId? })` of an engine or client, and
 * its monitor (or, for a client, what every monitor stored). Anything missing stays undefined, and
 * the endpoints that need it answer 501.
 */
export function enginePartsOf(engine: object): { healer?: HealerPort; monitor?: MonitorPort } {
  const parts: { healer?: HealerPort; monitor?: MonitorPort } = {};
  const candidate = engine as {
    heal?: unknown;
    applyRemedy?: unknown;
    applyFixer?: unknown;
    monitor?: unknown;
  };
  // mm.heal() (engine or client) answers with one report per job; the API answers the seed's shape.
  if (typeof candidate.heal === 'function') {
    const bound = <F>(method: unknown): F | undefined =>
      typeof method === 'function' ? (method.bind(engine) as F) : undefined;
    parts.healer = healerPortOf({
      heal: bound<HealFunctions['heal']>(candidate.heal)!,
      applyRemedy: bound<HealFunctions['applyRemedy']>(candidate.applyRemedy),
      applyFixer: bound<HealFunctions['applyFixer']>(candidate.applyFixer),
    });
  }
  const monitor = candidate.monitor as Partial<MonitorPort> | undefined;
  const { store, clock } = engine as { store?: Store; clock?: Clock };
  if (monitor && typeof monitor.health === 'function' && typeof monitor.findings === 'function')
    parts.monitor = monitor as MonitorPort;
  // Monitors store what they find: any client of the database can report it.
  else if (store?.monitoring && clock) parts.monitor = monitorPortOf(store, clock);
  return parts;
}
