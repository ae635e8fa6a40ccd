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
  if (monitor && typeof monitor.health === 'function' && typeof monitor.findings === 'function') parts.monitor = monitor as MonitorPort;
  return parts;
}
