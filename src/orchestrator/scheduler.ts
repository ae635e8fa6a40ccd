import { Cron } from 'croner';
import type { Clock } from '../core/clock.js';
import { invalidArgument } from '../core/errors.js';
import type { Json } from '../core/types.js';
import type { ScheduleStore, StoredSchedule } from '../store/schedule-store.js';

/** What runs after downtime: the latest missed slot only (`once`), or every missed slot (`all`, at most 1000). */
export const MISSED_RUN_POLICIES = ['once', 'all'] as const;
/** One of {@link MISSED_RUN_POLICIES}. */
export type MissedRunPolicy = (typeof MISSED_RUN_POLICIES)[number];

/** What `mm.schedule(name, …)` takes: a cron expression or an interval, for a job type of the engine. */
export interface ScheduleDefinition {
  /** The job type each slot enqueues. */
  type: string;
  /** A cron expression (5 fields, or 6 with seconds), e.g. `0 9 * * 1-5`; or use `everyMs`. */
  cron?: string;
  /** Repeat every this many ms, from the moment the schedule is first saved; or use `cron`. */
  everyMs?: number;
  /** IANA time zone the cron expression is read in. @default 'UTC' */
  timezone?: string;
  /** The payload of every job. @default null */
  payload?: Json;
  /** After downtime: `once` runs the latest missed slot, `all` every missed slot. @default 'once' */
  missed?: MissedRunPolicy;
  /** Priority of the jobs. @default 0 */
  priority?: number;
}

const MAX_CATCH_UP = 1000;

/** A schedule's definition as stored: JSON, compared to decide whether it changed. */
export function scheduleSpec(definition: ScheduleDefinition): Record<string, Json> {
  return {
    cron: definition.cron ?? null,
    everyMs: definition.everyMs ?? null,
    timezone: definition.timezone ?? 'UTC',
    payload: definition.payload ?? null,
    missed: definition.missed ?? 'once',
    priority: definition.priority ?? 0,
  };
}

/** The first slot of `spec` strictly after `after` (ms). */
export function nextSlot(spec: Record<string, Json>, after: number, anchor: number): number {
  if (typeof spec.everyMs === 'number') {
    const every = spec.everyMs;
    return anchor + (Math.floor((after - anchor) / every) + 1) * every;
  }
  const next = new Cron(String(spec.cron), { timezone: String(spec.timezone) }).nextRun(
    new Date(after),
  );
  if (!next) throw invalidArgument(`cron "${String(spec.cron)}" has no future run`);
  return next.getTime();
}

/** Validates a definition, naming the wrong field. */
export function validateSchedule(name: string, definition: ScheduleDefinition, now: number): void {
  const where = `schedule "${name}"`;
  if (!/^[A-Za-z0-9][\w.:-]{0,127}$/.test(name))
    throw invalidArgument(`${where}: the name must be 1-128 letters, digits, '.', ':', '_' or '-'`);
  if ((definition.cron === undefined) === (definition.everyMs === undefined))
    throw invalidArgument(`${where}: give either cron or everyMs`);
  if (
    definition.everyMs !== undefined &&
    !(Number.isInteger(definition.everyMs) && definition.everyMs >= 1000)
  ) {
    throw invalidArgument(`${where}: everyMs must be a whole number of milliseconds >= 1000`);
  }
  if (definition.missed !== undefined && !MISSED_RUN_POLICIES.includes(definition.missed)) {
    throw invalidArgument(`${where}: missed must be one of ${MISSED_RUN_POLICIES.join(', ')}`);
  }
  if (definition.cron !== undefined) {
    try {
      nextSlot(scheduleSpec(definition), now, now);
    } catch (error) {
      throw invalidArgument(`${where}: ${(error as Error).message}`);
    }
  }
}

/** Enqueues one slot's job; the idempotency key makes a second enqueue of the same slot a no-op. */
export type EnqueueSlot = (
  type: string,
  payload: Json,
  options: { idempotencyKey: string; runAt: number; priority: number },
) => Promise<{ id: string }>;

/**
 * Fires due schedules. Safe in any number of processes at once: each slot's job carries the
 * idempotency key `schedule:<name>:<slot>`, and the schedule moves on by compare-and-set, so a
 * slot is enqueued once even when two processes see it due, and a process dying between the two
 * steps leaves the slot to the next one, which enqueues the same key.
 */
export async function fireDueSchedules(
  store: ScheduleStore,
  clock: Clock,
  enqueue: EnqueueSlot,
): Promise<number> {
  const now = clock.now();
  let fired = 0;
  for (const schedule of await store.dueSchedules(now))
    fired += await fireSchedule(store, schedule, now, enqueue);
  return fired;
}

async function fireSchedule(
  store: ScheduleStore,
  schedule: StoredSchedule,
  now: number,
  enqueue: EnqueueSlot,
): Promise<number> {
  const { spec } = schedule;
  const anchor = schedule.nextRunAt;
  const slots = [schedule.nextRunAt];
  for (
    let slot = nextSlot(spec, schedule.nextRunAt, anchor);
    slot <= now && slots.length <= MAX_CATCH_UP * 10;
    slot = nextSlot(spec, slot, anchor)
  )
    slots.push(slot);
  const toRun = spec.missed === 'all' ? slots.slice(-MAX_CATCH_UP) : slots.slice(-1);
  let lastJobId: string | null = null;
  for (const slot of toRun) {
    const job = await enqueue(schedule.type, spec.payload ?? null, {
      idempotencyKey: `schedule:${schedule.name}:${slot}`,
      runAt: slot,
      priority: typeof spec.priority === 'number' ? spec.priority : 0,
    });
    lastJobId = job.id;
  }
  const advanced = await store.advanceSchedule(
    schedule.name,
    schedule.nextRunAt,
    nextSlot(spec, now, anchor),
    now,
    lastJobId,
  );
  return advanced ? toRun.length : 0;
}
