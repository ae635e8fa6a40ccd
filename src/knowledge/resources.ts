/**
 * Services an error can be attributed to. Circuit breakers and throttles are kept per resource,
 * so the same names must come out of every analyzer.
 */
export const RESOURCES = [
  'bullmq',
  'supabase',
  'prisma',
  'openai',
  'anthropic',
  'gemini',
  'redis',
  'mysql',
  'postgres',
  'npm',
  'docker',
  'k8s',
  'vercel',
  'netlify',
  'aws',
  'gcp',
  'azure',
] as const;

/** A resource name; see {@link RESOURCES}. */
export type Resource = (typeof RESOURCES)[number];
