import { describe, expect, it } from 'vitest';
import { redact, redactDeep } from '../../src/patterns/redact.js';

// Planted secrets are built at run time so the source holds no literal key for scanners to flag.
const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function fake(length: number, seed: number, alphabet = chars): string {
  let out = '';
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    out += alphabet[state % alphabet.length];
  }
  return out;
}
const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const b64url = (s: string) => Buffer.from(s).toString('base64url');

const SECRETS = {
  openai: `sk-${fake(48, 1)}`,
  openaiProject: `sk-proj-${fake(40, 2)}_${fake(40, 3)}`,
  anthropic: `sk-ant-api03-${fake(80, 4)}-${fake(6, 5)}AA`,
  stripeLive: `sk_live_${fake(40, 6)}`,
  stripeRestricted: `rk_live_${fake(40, 7)}`,
  stripePublishable: `pk_live_${fake(40, 8)}`,
  githubClassic: `ghp_${fake(36, 9)}`,
  githubOauth: `gho_${fake(36, 10)}`,
  githubFine: `github_pat_${fake(22, 11)}_${fake(59, 12)}`,
  aws: `AKIA${fake(16, 13, upper)}`,
  google: `AIza${fake(35, 14)}`,
  slack: `xoxb-${fake(12, 15, '0123456789')}-${fake(13, 16, '0123456789')}-${fake(24, 17)}`,
  jwt: `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url('{"sub":"1234567890","role":"service_role","iat":1716239022}')}.${fake(43, 18)}`,
  dbPassword: `p4ss${fake(12, 19)}`,
  cookie: fake(32, 20),
  queryToken: fake(24, 21),
  email: 'jane.doe+alerts@example-corp.io',
  awsSecret: `${fake(12, 22)}/${fake(8, 23)}/${fake(18, 24)}`,
} as const;

describe('redact', () => {
  const cases: [string, string, string][] = [
    ['OpenAI key', `Incorrect API key provided: ${SECRETS.openai}.`, '[REDACTED:openai_key]'],
    [
      'OpenAI project key',
      `OPENAI_API_KEY ${SECRETS.openaiProject} rejected`,
      '[REDACTED:openai_key]',
    ],
    ['Anthropic key', `using ${SECRETS.anthropic} for claude`, '[REDACTED:anthropic_key]'],
    ['Stripe live key', `stripe: ${SECRETS.stripeLive} invalid`, '[REDACTED:stripe_key]'],
    ['Stripe restricted key', `key ${SECRETS.stripeRestricted}`, '[REDACTED:stripe_key]'],
    ['Stripe publishable key', `key ${SECRETS.stripePublishable}`, '[REDACTED:stripe_key]'],
    ['GitHub classic token', `remote: ${SECRETS.githubClassic}`, '[REDACTED:github_token]'],
    ['GitHub OAuth token', `token ${SECRETS.githubOauth}`, '[REDACTED:github_token]'],
    ['GitHub fine-grained token', `pat ${SECRETS.githubFine} expired`, '[REDACTED:github_token]'],
    [
      'AWS access key',
      `The AWS Access Key Id ${SECRETS.aws} you provided does not exist`,
      '[REDACTED:aws_access_key]',
    ],
    [
      'Google API key',
      `GET https://generativelanguage.googleapis.com/v1beta/models?key=${SECRETS.google} 400`,
      '[REDACTED:google_api_key]',
    ],
    ['Slack token', `slack ${SECRETS.slack} not_authed`, '[REDACTED:slack_token]'],
    ['Supabase JWT', `apikey invalid: ${SECRETS.jwt}`, '[REDACTED:jwt]'],
    ['bearer token', `Authorization: Bearer ${SECRETS.queryToken}`, '[REDACTED:bearer_token]'],
    [
      'password in a connection URL',
      `connect to postgres://app:${SECRETS.dbPassword}@db.internal:5432/jobs failed`,
      'postgres://app:[REDACTED:password]@db.internal:5432/jobs',
    ],
    ['cookie header', `Cookie: session=${SECRETS.cookie}; theme=dark`, 'Cookie: [REDACTED:cookie]'],
    [
      'set-cookie header',
      `Set-Cookie: sid=${SECRETS.cookie}; HttpOnly`,
      'Set-Cookie: [REDACTED:cookie]',
    ],
    [
      'token query parameter',
      `GET /hook?user=7&token=${SECRETS.queryToken}&x=1`,
      'token=[REDACTED:secret]&x=1',
    ],
    [
      'password key=value',
      `login failed password=${SECRETS.dbPassword} user=app`,
      'password=[REDACTED:secret] user=app',
    ],
    [
      'JSON secret',
      `{"client_secret": "${SECRETS.queryToken}", "id": 4}`,
      '"client_secret": "[REDACTED:secret]"',
    ],
    [
      'AWS secret key',
      `aws_secret_access_key=${SECRETS.awsSecret}`,
      'aws_secret_access_key=[REDACTED:secret]',
    ],
    ['email address', `notify ${SECRETS.email} failed`, '[REDACTED:email]'],
  ];

  it.each(cases)('removes a planted %s completely', (_kind, text, marker) => {
    const out = redact(text);
    expect(out).toContain(marker);
    for (const secret of Object.values(SECRETS)) {
      if (text.includes(secret)) expect(out).not.toContain(secret);
    }
  });

  it('leaves no planted secret behind in a message that holds all of them', () => {
    const text =
      Object.entries(SECRETS)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n') + `\nhttps://u:${SECRETS.dbPassword}@h/x`;
    const out = redact(text);
    for (const secret of Object.values(SECRETS)) {
      expect(out).not.toContain(secret);
      // Not even a long piece of one may survive.
      expect(out).not.toContain(secret.slice(-12));
    }
  });

  it('keeps what helps diagnose: codes, hosts, ports, statuses, model names', () => {
    const text =
      'connect ECONNREFUSED 127.0.0.1:5432; 429 Rate limit reached for gpt-4o on tokens per min (TPM): Limit 30000';
    expect(redact(text)).toBe(text);
    expect(redact('npm error peer react@"^17.0.0" from react-beautiful-dnd@13.1.1')).toContain(
      'react-beautiful-dnd@13.1.1',
    );
  });

  it('keeps rate-limit headers and token counts, which are not secrets', () => {
    const text = 'x-ratelimit-reset-tokens: 6m0s, max_tokens: 4096, prompt_tokens=912';
    expect(redact(text)).toBe(text);
  });

  it('keeps sentences that only name a credential, and still redacts values in prose', () => {
    // AWS words an expired session this way; the words are what identifies the error.
    const aws = 'ExpiredToken: The security token included in the request is expired';
    expect(redact(aws)).toBe(aws);
    expect(redact('api_key: abc123 is invalid')).toBe('api_key: [REDACTED:secret] is invalid');
    expect(redact('password: hunter2')).toBe('password: [REDACTED:secret]');
    expect(redact('Authorization: Bearer abcdefghijklmnopqrstuvwx')).not.toContain('abcdefgh');
  });

  // Quadratic backtracking would take minutes here and hit the test timeout; speed itself is not asserted.
  it('finishes on long hyphenated blobs that invite regex backtracking, leaving them intact', () => {
    const blob = 'a-'.repeat(100_000);
    expect(redact(blob)).toBe(blob);
  });

  it('does not redact a marker twice', () => {
    expect(redact(redact(`api_key=${SECRETS.openai}`))).toBe(redact(`api_key=${SECRETS.openai}`));
  });
});

describe('redactDeep', () => {
  it('redacts nested strings, secret-named properties and errors, and keeps cycles', () => {
    const error = Object.assign(new Error(`401 for ${SECRETS.openai}`), {
      code: 'invalid_api_key',
      apiKey: SECRETS.openai,
    });
    const payload: Record<string, unknown> = {
      headers: {
        authorization: `Bearer ${SECRETS.queryToken}`,
        'x-api-key': SECRETS.anthropic,
        accept: 'json',
      },
      db: {
        url: `postgres://app:${SECRETS.dbPassword}@db:5432/x`,
        password: SECRETS.dbPassword,
        port: 5432,
      },
      users: [{ email: SECRETS.email }],
      error,
    };
    payload.self = payload;
    const out = redactDeep(payload);
    const text = JSON.stringify({
      ...out,
      self: undefined,
      error: {
        ...(out.error as Error),
        message: (out.error as Error).message,
        stack: (out.error as Error).stack,
      },
    });
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
    expect(out.self).toBe(out);
    expect((out.db as Record<string, unknown>).port).toBe(5432);
    expect((out.headers as Record<string, unknown>).accept).toBe('json');
    expect(out.error).toBeInstanceOf(Error);
    expect((out.error as Error & { code: string }).code).toBe('invalid_api_key');
    expect(payload.db).toMatchObject({ password: SECRETS.dbPassword });
  });
});
