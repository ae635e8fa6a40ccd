import type { Clock } from '../core/clock.js';
import type { Store } from '../store/store.js';
import { monitorPortOf } from './monitor-port.js';
import type { HealerPort, MonitorPort } from './ports.js';

/**
 * The healer and monitor an engine carries, when it does: `mm.heal({ jobId? })` and `mm.monitor`
 * are wired in `src/app/` by the issues that build them. Anything missing stays undefined, and
 * the endpoints that need it answer 501.
 */
export function enginePartsOf(engine: object): { healer?: HealerPort; monitor?: MonitorPort } {
  const parts: { healer?: HealerPort; monitor?: MonitorPort } = {};
  const candidate = engine as { heal?: unknown; healer?: unknown; monitor?: unknown };
  const healer = candidate.healer as Partial<HealerPort> | undefined;
  if (healer && typeof healer.heal === 'function') parts.healer = healer as HealerPort;
  else if (typeof candidate.heal === 'function') parts.healer = { heal: (request) => (candidate.heal as HealerPort['heal']).call(engine, request) };
  const monitor = candidate.monitor as Partial<MonitorPort> | undefined;
  const { store, clock } = engine as { store?: Store; clock?: Clock };
  if (monitor && typeof monitor.health === 'function' && typeof monitor.findings === 'function') parts.monitor = monitor as MonitorPort;
  // Monitors store what they find: any client of the database can report it.
  else if (store?.monitoring && clock) parts.monitor = monitorPortOf(store, clock);
  return parts;
}
