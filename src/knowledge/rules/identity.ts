import { defineRules } from './rule.js';

/**
 * Identity providers and the tokens they issue (OAuth and OpenID Connect, SAML, JWT validation,
 * Azure AD, Okta, Auth0, Cognito, Keycloak, LDAP), and the control-plane chatter around them:
 * almost every answer names a setting a person has to change, a few pass after a wait.
 */
export const IDENTITY_RULES = defineRules([
  {
    id: 'oauth.redirect_uri_mismatch',
    when: { message: /\bredirect_uri_mismatch\b/ },
    category: 'auth',
    transient: false,
    rootCause: 'The redirect URI the app sends is not among those registered for the OAuth client.',
    remedies: ['escalate'],
    prevention: 'Register every callback URL per environment, and build it from configuration.',
  },
  {
    id: 'oauth.state_mismatch',
    when: {
      message: /\bMismatchingStateError\b|\bmismatching_state\b|CSRF Warning! State not equal/,
    },
    category: 'other',
    transient: false,
    rootCause:
      'The OAuth callback carries a state the session does not hold: the session cookie was lost (SameSite, another host or worker) between redirect and callback.',
    remedies: ['escalate'],
    prevention:
      'Keep sessions in a shared store, and serve the login and its callback from the same host.',
  },
  {
    id: 'oauth.refresh_token_invalid',
    when: {
      message:
        /\binvalid_grant\b|Token has been expired or revoked|refresh token has expired|AADSTS700082/i,
    },
    category: 'auth',
    transient: false,
    rootCause:
      'The refresh token was revoked or expired (inactivity, a password change, a testing-mode consent); only a new sign-in issues another.',
    remedies: ['escalate'],
    prevention:
      'Alert on invalid_grant and ask the user to sign in again; publish the OAuth app out of testing mode.',
    // "expired" alone reads as a token a refresh renews; this one is what refreshes.
    priority: 1,
  },
  {
    id: 'azure_ad.client_secret_expired',
    when: { message: /\bAADSTS7000222\b|client secret keys are expired/i },
    category: 'auth',
    transient: false,
    rootCause: "The service principal's client secret passed its expiry date.",
    remedies: ['escalate'],
    prevention:
      'Track secret expiry dates and rotate secrets (or use certificates or workload identity) ahead of them.',
  },
  {
    id: 'identity_provider.unavailable',
    // Azure AD's own code, and ADAL's wording of a 5xx from the token endpoint; other services say
    // "temporarily unavailable" too.
    when: { message: /\bAADSTS90033\b|Get Token request returned http error: 50[0-4]\b/ },
    category: 'api_failure',
    transient: true,
    rootCause: 'The identity provider had a transient outage answering token requests.',
    remedies: ['retry_with_backoff'],
    prevention: 'Cache tokens for their lifetime, and retry token requests with backoff.',
  },
  {
    id: 'identity_provider.rate_limit',
    when: {
      message:
        /\bE0000047\b|API call exceeded rate limit due to too many requests|Global limit has been reached/i,
    },
    category: 'rate_limit',
    transient: true,
    rootCause: "The identity provider's management API rate limit (Okta, Auth0) was exceeded.",
    remedies: ['wait_for_rate_limit', 'reduce_concurrency'],
    prevention: "Page and pace bulk user operations under the provider's limits.",
  },
  {
    id: 'jwt.audience_mismatch',
    when: {
      message:
        /Invalid audience|\bInvalidAudience|Audience \(aud\) claim mismatch|SecurityTokenInvalidAudienceException/,
    },
    category: 'auth',
    transient: false,
    rootCause:
      'The token was issued for another audience (client id, API identifier) than the one validating it expects.',
    remedies: ['escalate'],
    prevention: 'Configure the audience on both sides from one setting, per environment.',
  },
  {
    id: 'jwt.issuer_mismatch',
    when: {
      message: /wrong ISS|Invalid (?:token )?issuer|issuer mismatch|\biss\b claim mismatch/i,
    },
    category: 'auth',
    transient: false,
    rootCause:
      'The token names another issuer than the validator expects: the identity provider is reached under another hostname or realm URL.',
    remedies: ['escalate'],
    prevention:
      'Give the identity provider one public hostname and use it for issuing and validating.',
  },
  {
    id: 'jwt.not_yet_valid',
    when: {
      message:
        /\bImmatureSignatureError\b|The token is not yet valid \(iat\)|iat is an invalid value|Token used before issued/i,
    },
    category: 'auth',
    transient: false,
    rootCause:
      "The token's issued-at time is in the validator's future: the clocks of the two machines disagree.",
    remedies: ['escalate'],
    prevention:
      'Keep clocks synchronised (NTP) and allow a little leeway when validating iat and nbf.',
  },
  {
    id: 'jwt.signing_key_not_found',
    when: {
      message: /No key matching kid or alg found|no matching key\(s\) found|No key with kid/i,
    },
    category: 'auth',
    transient: false,
    rootCause:
      "No key in the JWKS matches the token's kid: the token comes from another issuer or tenant, or the keys rotated and the validator holds a stale set.",
    remedies: ['escalate', 'retry_with_backoff'],
    prevention:
      'Refresh the JWKS when an unknown kid arrives, and validate against the issuer that signed.',
  },
  {
    id: 'saml.signature_invalid',
    when: {
      message:
        /Signature validation failed\. SAML Response rejected|Invalid Signature on SAML Response/i,
    },
    category: 'auth',
    transient: false,
    rootCause:
      'The SAML response is signed with another certificate than the one configured for the identity provider (it rotated, or another was pasted).',
    remedies: ['escalate'],
    prevention:
      "Load the identity provider's signing certificate from its metadata, and refresh it on rotation.",
  },
  {
    id: 'openid.request_timeout',
    when: {
      message:
        /RPError: outgoing request timed out after \d+ ?ms|oidc discovery: unable to load jwks/i,
    },
    category: 'timeout',
    transient: true,
    rootCause: "The OpenID client timed out fetching the provider's discovery document or keys.",
    remedies: ['retry_with_backoff', 'increase_timeout'],
    prevention:
      'Cache discovery and keys, and give those requests a longer timeout than the default 3.5 s.',
  },
  {
    id: 'ldap.timeout',
    when: {
      message:
        /\bLDAP\b[^\n]{0,60}(?:i\/o timeout|timed out)|Got a response but Authentication timed out|http_auth_ldap: Authentication timed out/i,
    },
    category: 'timeout',
    transient: true,
    rootCause:
      'The directory server did not answer the bind or search in time (overloaded, or unreachable for a while).',
    remedies: ['retry_with_backoff', 'increase_timeout'],
    prevention: 'Point at several directory servers and set connect and search timeouts.',
  },
  {
    id: 'cognito.email_quota',
    when: { message: /Exceeded daily email limit/i },
    category: 'quota_exhausted',
    transient: false,
    rootCause:
      "Cognito's built-in email sender allows a few messages a day; the user pool is past that limit.",
    remedies: ['escalate'],
    prevention: 'Configure the user pool to send through Amazon SES.',
  },
  {
    id: 'google.oob_flow_blocked',
    when: { message: /The out-of-band \(OOB\) flow has been blocked/i },
    category: 'api_failure',
    transient: false,
    rootCause: 'Google no longer allows the out-of-band OAuth flow the client uses.',
    remedies: ['escalate'],
    prevention: 'Move the client to the loopback or device authorization flow.',
  },
  {
    id: 'twilio.authenticate',
    when: {
      message:
        /(?:RestException|Error)(?: \[Error\])?: Authenticate\b|Unable to (?:create|fetch) record: Authenticate\b/,
    },
    category: 'auth',
    transient: false,
    rootCause:
      'Twilio rejected the account SID and auth token (error 20003): wrong, from another account, or a test pair.',
    remedies: ['escalate'],
    prevention: 'Keep the SID and token together in the secret store, and check them at start-up.',
  },
  {
    id: 'discord.unknown_webhook',
    when: { message: /Unknown Webhook/ },
    category: 'api_failure',
    transient: false,
    rootCause: 'The Discord webhook was deleted (or its URL is wrong); it will not come back.',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Drop webhooks Discord answers 404 for, and let users register new ones.',
  },
  {
    id: 'ngrok.session_limit',
    when: { message: /\bERR_NGROK_108\b|limited to \d+ simultaneous ngrok agent sessions?/i },
    category: 'quota_exhausted',
    transient: false,
    rootCause:
      "The ngrok account's plan allows one agent session at a time, and another is already running.",
    remedies: ['escalate'],
    prevention: 'Stop other agents before starting one, or use a plan with more sessions.',
  },
  {
    id: 'dns.query_timeout',
    when: {
      message:
        /read udp [\d.:[\]a-f]+->[\d.:[\]a-f]+:53: i\/o timeout|DNS Server failed to resolve the request/i,
    },
    category: 'network',
    transient: true,
    rootCause:
      'The DNS server did not answer the query in time (a dropped UDP packet or an overloaded resolver).',
    remedies: ['retry_with_backoff'],
    prevention: 'Use a local caching resolver, and more than one upstream.',
  },
  {
    id: 'linux.conntrack_full',
    when: { message: /nf_conntrack: table full, dropping packet/i },
    category: 'resource',
    transient: false,
    rootCause: "The kernel's connection-tracking table is full, so new connections are dropped.",
    remedies: ['escalate', 'reduce_concurrency'],
    prevention:
      "Raise net.netfilter.nf_conntrack_max for the host's connection rate, and reuse connections.",
  },
  {
    id: 'acme.http01_unreachable',
    when: { message: /Waiting for HTTP-01 challenge propagation: wrong status code '\d+'/i },
    category: 'deployment',
    transient: false,
    rootCause:
      'The ACME HTTP-01 challenge URL answers another status than 200 from outside: the ingress, DNS or a redirect does not route it to the solver.',
    remedies: ['escalate'],
    prevention:
      'Route /.well-known/acme-challenge/ to the solver before requesting certificates, and test it from outside.',
  },
  {
    id: 'k8s.admission_webhook_failed',
    when: { message: /failed calling webhook "[^"]+"/i },
    category: 'deployment',
    transient: false,
    rootCause:
      'The API server could not reach an admission webhook (its service has no ready endpoints, or a network policy or firewall blocks it).',
    remedies: ['escalate', 'retry_with_backoff'],
    prevention:
      'Install webhooks with their services ready first, and allow the control plane to reach them.',
  },
  {
    id: 'k8s.leader_election_lost',
    when: {
      message:
        /leaderelection\.go:\d+\][^\n]*(?:Failed to update lock|error retrieving resource lock|failed to renew lease)|failed to renew lease [\w.-]+\/[\w.-]+/i,
    },
    category: 'orchestrator_stuck',
    transient: true,
    rootCause:
      'A controller could not renew its leader lease in time (a slow or unreachable API server), and stops leading.',
    remedies: ['retry', 'escalate'],
    prevention:
      'Give the API server headroom, and the lease a renew deadline above its latency spikes.',
  },
]);
