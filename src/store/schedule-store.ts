import type { Json } from '../core/types.js';

/** A schedule as stored; `spec` is its JSON definition (cron or interval, time zone, payload, policy). */
export interface StoredSchedule {
  name: string;
  type: string;
  spec: Record<string, Json>;
  /** The next slot to fire (ms). */
  nextRunAt: number;
  /** When the last slot fired, or null. */
  lastRunAt: number | null;
  lastJobId: string | null;
  updatedAt: number;
}

/** A schedule to save: its first slot is used only when the schedule is new or its spec changed. */
export interface ScheduleUpsert {
  name: string;
  type: string;
  spec: Record<string, Json>;
  nextRunAt: number;
}

/** Schedules: saved by the engines that declare them, fired by whichever process gets there first. */
export interface ScheduleStore {
  /** Inserts new schedules; an existing one keeps its next slot unless its spec changed. */
  saveSchedules(schedules: readonly ScheduleUpsert[], now: number): Promise<void>;
  listSchedules(): Promise<StoredSchedule[]>;
  /** Schedules whose next slot is at or before `now`. */
  dueSchedules(now: number): Promise<StoredSchedule[]>;
  /**
   * Moves a schedule's next slot from `expected` to `next`, recording the fire; false when another
   * process moved it first (then this one must not count the slot as its own).
   */
  advanceSchedule(
    name: string,
    expected: number,
    next: number,
    firedAt: number,
    jobId: string | null,
  ): Promise<boolean>;
}
