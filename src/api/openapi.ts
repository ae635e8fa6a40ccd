import { z } from 'zod';
import type { Role } from './auth.js';
import * as c from './contracts.js';

/** One documented endpoint. */
interface Endpoint {
  method: 'get' | 'post' | 'patch';
  path: string;
  summary: string;
  /** Role needed; none for public endpoints. */
  role?: Role;
  query?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType | 'text' | 'event-stream';
  status?: number;
}

const fn = (name: string) => `/functions/v1/${name}`;

/** Every endpoint of the API; a test checks this list against the app's routes. */
export const ENDPOINTS: readonly Endpoint[] = [
  {
    method: 'get',
    path: '/healthz',
    summary: 'Liveness: the store answers',
    response: c.HealthzAnswer,
  },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics',
    role: 'read',
    response: 'text',
  },
  { method: 'get', path: '/api/openapi.json', summary: 'This document', response: z.object({}) },
  {
    method: 'get',
    path: '/api/jobs',
    summary: 'List jobs, newest first',
    role: 'read',
    query: c.JobListQuery,
    response: c.JobList,
  },
  {
    method: 'post',
    path: '/api/jobs',
    summary: 'Enqueue a job',
    role: 'operate',
    body: c.EnqueueBody,
    response: c.JobAnswer,
    status: 201,
  },
  {
    method: 'get',
    path: '/api/jobs/{id}',
    summary: 'A job with its attempts, errors and heals',
    role: 'read',
    response: c.JobDetail,
  },
  {
    method: 'post',
    path: '/api/jobs/{id}/cancel',
    summary: 'Cancel a queued or running job',
    role: 'operate',
    response: c.CancelAnswer,
  },
  {
    method: 'post',
    path: '/api/jobs/{id}/retry',
    summary: 'Queue a failed or cancelled job again',
    role: 'operate',
    response: c.RetryAnswer,
  },
  {
    method: 'get',
    path: '/api/patterns',
    summary: 'List learned patterns',
    role: 'read',
    query: c.PatternListQuery,
    response: c.PatternList,
  },
  {
    method: 'get',
    path: '/api/patterns/{id}',
    summary: 'A pattern (by id or signature) with per-remedy statistics',
    role: 'read',
    response: c.PatternDetail,
  },
  {
    method: 'patch',
    path: '/api/patterns/{id}',
    summary: 'Edit root cause, remedies, prevention or category',
    role: 'admin',
    body: c.PatternEditBody,
    response: c.PatternAnswer,
  },
  {
    method: 'post',
    path: '/api/patterns/{id}/disable',
    summary: 'Stop applying a pattern',
    role: 'admin',
    response: c.PatternAnswer,
  },
  {
    method: 'post',
    path: '/api/patterns/{id}/enable',
    summary: 'Apply a disabled pattern again',
    role: 'admin',
    response: c.PatternAnswer,
  },
  {
    method: 'get',
    path: '/api/pack',
    summary: 'Export a privacy-preserving pattern pack',
    role: 'read',
    response: c.PatternPackSchema,
  },
  {
    method: 'post',
    path: '/api/pack',
    summary: 'Import a pattern pack (weighted; local evidence is kept)',
    role: 'admin',
    query: c.PackImportQuery,
    body: c.PatternPackSchema,
    response: c.PackImportAnswer,
  },
  {
    method: 'get',
    path: '/api/improvements',
    summary: 'The improvement log (ai_improvement_logs)',
    role: 'read',
    query: c.ImprovementListQuery,
    response: c.ImprovementList,
  },
  {
    method: 'get',
    path: '/api/stats',
    summary: 'Patterns learned, heals, confidence, success rate, by category',
    role: 'read',
    response: c.StatsAnswer,
  },
  {
    method: 'get',
    path: '/api/monitor/health',
    summary: "The monitor's health report",
    role: 'read',
    response: c.MonitorHealthSchema,
  },
  {
    method: 'get',
    path: '/api/events',
    summary: 'Live events (SSE); resume with Last-Event-ID',
    role: 'read',
    response: 'event-stream',
  },
  {
    method: 'post',
    path: fn('mega-mind-self-healer'),
    summary: 'Scan and heal everything ({mode:"auto"}) or one job ({mode:"auto", jobId})',
    role: 'operate',
    body: c.SelfHealerBody,
    response: c.HealReportSchema,
  },
  {
    method: 'post',
    path: fn('proactive-monitor'),
    summary: 'Health report and findings',
    role: 'read',
    body: c.MonitorBody,
    response: c.MonitorAnswer,
  },
  {
    method: 'post',
    path: fn('universal-error-teacher'),
    summary: 'Analyse an error (read), learn it (operate) or teach a pattern (admin)',
    role: 'read',
    body: c.TeacherBody,
    response: c.TeacherAnswer,
  },
  {
    method: 'post',
    path: fn('auto-fix-engine'),
    summary: 'Apply a remedy action to a job',
    role: 'operate',
    body: c.AutoFixBody,
    response: c.HealOutcomeSchema,
  },
  {
    method: 'post',
    path: fn('self-heal'),
    summary: 'Run a code-level fixer on a job',
    role: 'operate',
    body: c.SelfHealBody,
    response: c.HealOutcomeSchema,
  },
  {
    method: 'post',
    path: fn('smart-orchestrator'),
    summary: 'Enqueue one job or { jobs: [...] } (all or none)',
    role: 'operate',
    body: c.OrchestratorBody,
    response: c.OrchestratorAnswer,
    status: 201,
  },
];

const ERROR_STATUSES: Record<string, string> = {
  '400': 'Bad input; the message names what was wrong',
  '401': 'Missing or unknown API key',
  '403': 'The key has not the role needed',
  '404': 'No such job, pattern or route',
  '413': 'Body too large',
  '429': 'Rate limit reached; see Retry-After',
  '501': 'The part that answers this (healer, monitor) is not running',
};

const schema = (type: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(type, { io, unrepresentable: 'any' });

let cached: object | undefined;

/** The OpenAPI 3.1 document of the API, generated from the zod contracts. */
export function openApiDocument(): object {
  if (cached) return cached;
  const paths: Record<string, Record<string, object>> = {};
  for (const e of ENDPOINTS) {
    const parameters: object[] = [];
    if (e.path.includes('{id}'))
      parameters.push({ name: 'id', in: 'path', required: true, schema: { type: 'string' } });
    if (e.query) {
      const q = schema(e.query, 'input') as {
        properties?: Record<string, object>;
        required?: string[];
      };
      for (const [name, s] of Object.entries(q.properties ?? {}))
        parameters.push({
          name,
          in: 'query',
          required: q.required?.includes(name) ?? false,
          schema: s,
        });
    }
    const ok =
      e.response === 'text'
        ? { content: { 'text/plain': { schema: { type: 'string' } } } }
        : e.response === 'event-stream'
          ? { content: { 'text/event-stream': { schema: schema(c.LiveEvent, 'output') } } }
          : { content: { 'application/json': { schema: schema(e.response, 'output') } } };
    const errors = Object.fromEntries(
      Object.entries(ERROR_STATUSES).map(([status, description]) => [
        status,
        { description, content: { 'application/json': { schema: schema(c.ErrorBody, 'output') } } },
      ]),
    );
    paths[e.path] ??= {};
    (paths[e.path] as Record<string, object>)[e.method] = {
      summary: e.summary,
      ...(e.role ? { security: [{ bearer: [] }, { apikey: [] }], 'x-role': e.role } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(e.body
        ? {
            requestBody: {
              required: false,
              content: { 'application/json': { schema: schema(e.body, 'input') } },
            },
          }
        : {}),
      responses: { [String(e.status ?? 200)]: { description: 'OK', ...ok }, ...errors },
    };
  }
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Mega Mind',
      version: '1',
      description:
        'Self-healing job orchestrator: jobs, patterns, heals, and the seed functions under /functions/v1.',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        apikey: { type: 'apiKey', in: 'header', name: 'apikey' },
      },
    },
    paths,
  };
  return cached;
}
