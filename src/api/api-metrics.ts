import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { JOB_STATUSES } from '../core/types.js';
import type { Store } from '../store/store.js';

/**
 * The Prometheus metrics of one API server, in a registry of its own (several apps in one process
 * never share counters). Gauges read the store when scraped, so they are true across processes.
 */
export class ApiMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly requestSeconds: Histogram<'method' | 'route'>;
  readonly attempts: Counter<'outcome'>;
  readonly scanSeconds: Histogram;

  constructor(store: Store) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'megamind_http_requests_total',
      help: 'HTTP requests answered',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.requestSeconds = new Histogram({
      name: 'megamind_http_request_duration_seconds',
      help: 'Time to answer an HTTP request',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    });
    this.attempts = new Counter({
      name: 'megamind_job_attempts_total',
      help: "Job attempts that ended, by how: this process's, and other processes' jobs once they finish",
      labelNames: ['outcome'],
      registers,
    });
    this.scanSeconds = new Histogram({
      name: 'megamind_heal_scan_duration_seconds',
      help: 'Duration of healing scans started through the API',
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers,
    });
    new Gauge({
      name: 'megamind_jobs',
      help: 'Jobs by status',
      labelNames: ['status'],
      registers,
      async collect() {
        const counts = await Promise.all(JOB_STATUSES.map((status) => store.countJobs({ status })));
        JOB_STATUSES.forEach((status, i) => this.set({ status }, counts[i] as number));
      },
    });
    // One read of the statistics feeds both gauges below.
    let statistics: ReturnType<Store['healingStatistics']> | undefined;
    const readStatistics = () => {
      statistics ??= store
        .healingStatistics()
        .finally(() => setImmediate(() => (statistics = undefined)));
      return statistics;
    };
    new Gauge({
      name: 'megamind_heals',
      help: 'Heals in the improvement log, by outcome',
      labelNames: ['outcome'],
      registers,
      async collect() {
        const s = await readStatistics();
        this.set({ outcome: 'validated' }, s.successfulHeals);
        this.set({ outcome: 'failed' }, s.failedHeals);
        this.set({ outcome: 'pending' }, s.pendingHeals);
      },
    });
    new Gauge({
      name: 'megamind_patterns',
      help: 'Learned patterns, by category',
      labelNames: ['category'],
      registers,
      async collect() {
        const s = await readStatistics();
        this.reset();
        for (const c of s.byCategory) this.set({ category: c.category }, c.patterns);
      },
    });
  }
}
