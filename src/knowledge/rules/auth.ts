import { defineRules } from './rule.js';

/** Token errors from jsonwebtoken and Supabase. HTTP 401/403 live in the HTTP rules. */
export const AUTH_RULES = defineRules([
  {
    id: 'jwt.expired',
    when: [{ names: ['TokenExpiredError'] }, { message: /\bjwt expired\b/i }],
    category: 'auth',
    transient: true,
    rootCause: "The JWT's exp time has passed; the job held a token longer than its lifetime.",
    remedies: ['refresh_credentials', 'retry'],
    prevention:
      'Refresh tokens shortly before expiry, and fetch a token per attempt rather than per job.',
  },
  {
    id: 'jwt.invalid_signature',
    when: { names: ['JsonWebTokenError'], message: /invalid signature/i },
    category: 'auth',
    transient: false,
    rootCause:
      'The token was signed with a different secret or key than the verifier uses (rotated or mismatched JWT secret).',
    remedies: ['refresh_credentials', 'escalate'],
    prevention:
      'Share the signing secret from one source and support key rotation with key ids (kid).',
  },
  {
    id: 'jwt.malformed',
    when: {
      names: ['JsonWebTokenError'],
      message: /jwt malformed|invalid token|jwt must be provided/i,
    },
    category: 'auth',
    transient: false,
    rootCause: 'What was passed as a token is not a JWT (empty, truncated, or "Bearer " left in).',
    remedies: ['fail_fast', 'escalate'],
    prevention:
      'Strip the scheme from Authorization headers and check for a missing token before verifying.',
  },
  {
    id: 'jwt.not_active',
    when: [{ names: ['NotBeforeError'] }, { message: /\bjwt not active\b/i }],
    category: 'auth',
    transient: true,
    rootCause:
      "The token's nbf time is in the future, usually clock skew between issuer and verifier.",
    remedies: ['retry_with_backoff', 'escalate'],
    prevention: 'Run NTP on every host and allow a small clockTolerance when verifying.',
  },
  {
    id: 'supabase.invalid_refresh_token',
    when: { message: /Invalid Refresh Token/i },
    category: 'auth',
    transient: false,
    rootCause: "The Supabase session's refresh token was already used, revoked or never existed.",
    remedies: ['escalate', 'fail_fast'],
    prevention: 'Use a service-role key for background jobs instead of user sessions.',
  },
  {
    id: 'git.ssh_publickey_denied',
    when: { message: /Permission denied \(publickey[^)]*\)/i },
    category: 'auth',
    transient: false,
    rootCause:
      'The Git server rejected the SSH key: none is loaded, it is not registered with the account, or it has no access to the repository.',
    remedies: ['escalate', 'fail_fast'],
    prevention:
      'Use a deploy key or an HTTPS token that the job loads explicitly, and check access before the job starts.',
  },
  {
    id: 'auth.token_expired',
    when: [
      { names: ['TokenExpiredError', 'SecurityTokenExpiredException', 'ExpiredTokenException'] },
      { codes: ['ExpiredToken', 'ExpiredTokenException', 'token_expired'] },
      {
        message:
          /\b(?:access |security |auth(?:entication)? )?token (?:is |has )?expired\b|\bThe token is expired\b/i,
      },
    ],
    category: 'auth',
    transient: true,
    rootCause: 'A short-lived access token passed its expiry time before the request was made.',
    remedies: ['refresh_credentials', 'escalate'],
    prevention:
      'Refresh tokens before they expire (at 80% of their lifetime) and on the first 401.',
  },
  {
    id: 'git.password_auth_rejected',
    when: {
      message:
        /Support for password authentication was removed on|Password authentication is not available for Git operations|HTTP Basic: Access denied/i,
    },
    category: 'auth',
    transient: false,
    rootCause:
      'The Git host refused a password over HTTPS: it accepts only a personal access token (or the token given is wrong or lacks the scope).',
    remedies: ['escalate', 'fail_fast'],
    prevention:
      'Give the job a scoped access token or a deploy key from its secrets, never an account password.',
  },
  {
    id: 'npm.e401',
    when: [
      { codes: ['E401'] },
      {
        message:
          /\bcode E401\b|Unable to authenticate, (?:your authentication token seems to be invalid|need: (?:Basic|Bearer))/i,
      },
    ],
    category: 'auth',
    transient: false,
    rootCause:
      'The package registry rejected the credentials in .npmrc: a missing, expired or wrong token for a private registry (GitHub Packages, Artifactory, Nexus).',
    remedies: ['refresh_credentials', 'escalate'],
    prevention:
      'Write the registry token into .npmrc from a secret in CI and scope it to the registry URL.',
  },
]);
