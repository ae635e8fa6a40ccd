import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE, maskMessage, maskTokens } from '../../src/patterns/mask.js';
import { maskWholeAddress } from '../../src/patterns/mask-address.js';
import {
  HOST_PORT_RE,
  IP_RE,
  KV_VALUE_RE,
  SINGLE_PLACEHOLDER_RE,
} from '../../src/patterns/mask-expressions.js';
import { maskToken } from '../../src/patterns/mask-token.js';
import { TYPED, UNTYPED } from '../../src/patterns/placeholders.js';

describe('maskMessage', () => {
  it.each([
    ['numbers', 'retry 3 of 10 failed', 'retry <num> of <num> failed'],
    ['negative and decimal numbers', 'offset -42 ratio 0.75', 'offset <num> ratio <num>'],
    ['ids with digits', 'block blk_-1608999687919862906 lost', 'block <id> lost'],
    ['uuids', 'job 0f8fad5b-d9cb-469f-a165-70867728950e failed', 'job <uuid> failed'],
    ['hex values', 'pointer 0x7fed806eb5d and digest deadbeef42', 'pointer <hex> and digest <hex>'],
    ['hashes', 'commit 3f786850e387550fdab836ed7e6dc881de23001b broke it', 'commit <hex> broke it'],
    ['IPv4 addresses', 'connect to 10.0.0.12 refused', 'connect to <ip> refused'],
    ['IPv6 addresses', 'connect to fe80::1ff:fe23:4567:890a refused', 'connect to <ip> refused'],
    [
      'hosts with ports',
      'connect ECONNREFUSED db.internal.example.com:5432',
      'connect ECONNREFUSED <host>',
    ],
    ['IPs with ports', 'connect ECONNREFUSED 127.0.0.1:5432', 'connect ECONNREFUSED <host>'],
    ['host names', 'getaddrinfo ENOTFOUND api.eu-1.example.com', 'getaddrinfo ENOTFOUND <host>'],
    [
      'unix paths',
      'ENOENT: no such file, open /srv/app/uploads/a.png',
      'ENOENT: no such file, open <path>',
    ],
    ['windows paths', 'cannot read C:\\Users\\me\\file.txt', 'cannot read <path>'],
    [
      'relative paths with an extension and a (line,col)',
      'src/lib/db.ts(3,24): error',
      '<path>: error',
    ],
    [
      'paths with a :line:col',
      'at /app/src/jobs/save.ts:41:11 and lib/a.js:7',
      'at <path> and <path>',
    ],
    [
      'paths under a placeholder root',
      'out of date with <ROOT>/package.json',
      'out of date with <path>',
    ],
    ['urls', 'GET https://api.example.com/v1/users?id=7 returned 503', 'GET <url> returned <num>'],
    ['emails', 'no account for jane.doe@example.org', 'no account for <email>'],
    [
      'double-quoted values',
      'relation "public.users" does not exist',
      'relation "<str>" does not exist',
    ],
    ['single-quoted values', "Cannot find module 'left pad'", "Cannot find module '<str>'"],
    ['ISO timestamps', 'expired at 2026-01-31T10:00:00.123Z', 'expired at <ts>'],
    ['clock times', 'started 17:41:44,747 late', 'started <ts> late'],
    ['durations', 'timed out after 30000ms', 'timed out after <duration>'],
    ['durations with a space', 'timed out after 1.5 s', 'timed out after <duration>'],
    ['sizes', 'payload of 12 MB exceeds 10MB', 'payload of <size> exceeds <size>'],
    ['booleans', 'cache hit: false, ok:true', 'cache hit: <bool>, ok:<bool>'],
    ['key=value pairs', 'acquire lock=233570404, tag=main', 'acquire lock=<num>, tag=<*>'],
  ])('masks %s', (_kind, message, expected) => {
    expect(maskMessage(message)).toBe(expected);
  });

  it('masks a quoted snippet whole, whatever quotes and line breaks it holds', () => {
    const masked = 'Unexpected token \'<str>\', "<str>"... is not valid JSON';
    expect(maskMessage('Unexpected token \'`\', "```json\n{"ti"... is not valid JSON')).toBe(
      masked,
    );
    expect(maskMessage('Unexpected token \'`\', "```\\n{\\n  "na"... is not valid JSON')).toBe(
      masked,
    );
    expect(maskMessage('Unexpected token \'H\', "Here is th"... is not valid JSON')).toBe(masked);
  });

  it('masks a quoted request line token by token, so its method still tells events apart', () => {
    const get = maskMessage('10.1.1.1 "GET /v2/54fa/servers/detail HTTP/1.1" status: 200');
    const post = maskMessage('10.1.1.1 "POST /v2/54fa/servers HTTP/1.1" status: 202');
    expect(get).toBe('<ip> "GET <path> HTTP/<num>" status: <num>');
    expect(post).toBe('<ip> "POST <path> HTTP/<num>" status: <num>');
    // The value of a key stays one value, whatever it holds.
    expect(maskMessage('acquire tag="GET /v2 HTTP/1.1", uid=7')).toBe(
      'acquire tag="<str>", uid=<num>',
    );
  });

  it('keeps slashed words without a file extension as text', () => {
    expect(maskMessage('pull access denied for acme/api')).toBe('pull access denied for acme/api');
    expect(maskMessage('sent HTTP/1.1 to text/html')).toBe('sent HTTP/<num> to text/html');
  });

  it('keeps a CIDR suffix apart from a placeholder-rooted path', () => {
    expect(maskMessage('route 10.0.0.0/24 added')).toBe('route <ip>/<num> added');
  });

  it('keeps apostrophes inside words as text', () => {
    expect(maskMessage("don't retry, it isn't safe")).toBe("don't retry, it isn't safe");
  });

  it('keeps dotted setting names, which have no real top-level domain', () => {
    expect(maskMessage('mapred.task.id is deprecated')).toBe('mapred.task.id is deprecated');
    expect(maskMessage('config.db.host is required')).toBe('config.db.host is required');
  });

  it('masks a numbered host name as one host, not as a date', () => {
    expect(maskMessage('lookup 195-154-37-122.rev.example.eu failed')).toBe('lookup <host> failed');
  });

  it('masks dates written with month and weekday names whole, so one event is one template', () => {
    expect(maskMessage('job started Sun Dec 04 04:47:44 2005 by cron')).toBe(
      'job started <ts> by cron',
    );
    expect(maskMessage('Jun 14 15:16:01 session opened')).toBe('<ts> session opened');
    expect(maskMessage('backup done Mon, Nov 30, 2026 8:41 AM')).toBe('backup done <ts>');
    expect(maskMessage('certificate expires 30 Nov 2026')).toBe('certificate expires <ts>');
    // A month name and a number alone may be prose.
    expect(maskMessage('May 5 retries remain')).toBe('May <num> retries remain');
  });

  it('keeps plain words untouched', () => {
    expect(maskMessage('Connection reset by peer')).toBe('Connection reset by peer');
  });
});

describe('maskTokens', () => {
  it('merges a value and its restatement into one position', () => {
    expect(maskTokens('12789 bytes (12.4 KB) sent')).toEqual(['<size>', 'sent']);
    expect(maskTokens('0 bytes sent')).toEqual(['<size>', 'sent']);
  });

  it.each([
    ['a quantity', 'waited 30 s for lock=7', ['waited', '<duration>', 'for', 'lock=<num>']],
    [
      'a unit-like letter that is no unit',
      'digest 0x0b85eee0 in 5 messages',
      ['digest', '<hex>', 'in', '<num>', 'messages'],
    ],
    ['a written date', 'retry on Jun 14 15:16:01 failed', ['retry', 'on', '<ts>', 'failed']],
    ['a month and a day alone', 'May 5 retries', ['May', '<num>', 'retries']],
    ['a double-quoted value', 'open "a b" failed', ['open', '"<str>"', 'failed']],
    ['a single-quoted value', "module 'left pad' missing", ['module', "'<str>'", 'missing']],
    [
      'values of key=value',
      'tag=main, x=<num> y=a=b ret= (k=v)',
      ['tag=<*>,', 'x=<num>', 'y=<*>', 'ret=', '(k=<*>)'],
    ],
  ])('masks %s in a message split into tokens', (_kind, message, expected) => {
    expect(maskTokens(message)).toEqual(expected);
  });

  it('drops empty tokens from repeated spaces', () => {
    expect(maskTokens('shouldBlockLocation  ret:false')).toEqual([
      'shouldBlockLocation',
      'ret:<bool>',
    ]);
  });
});

describe('maskToken', () => {
  it('masks the values of key=value as KV_VALUE_RE says, though by hand', () => {
    for (const token of [
      'a=b',
      '=',
      'a=',
      'a=<*>',
      'x=y=z',
      'k=v,w',
      'k=)',
      'a=<num>',
      'a=<Num>',
      'a=<>',
      '(k=v;j=w&l=)',
    ]) {
      const expected = token.replace(KV_VALUE_RE, (m, value: string) =>
        SINGLE_PLACEHOLDER_RE.test(value) ? m : '=<*>',
      );
      expect(maskToken(token, UNTYPED)).toBe(expected);
    }
  });

  it('tells a whole IPv4 address, with a port or after a slash, as the host-and-port and IP rules do', () => {
    for (const token of ['10.0.0.1', '10.0.0.1:5432', '/10.0.0.1:5432', '999.999.999.999:99999']) {
      const byRules = token.replace(HOST_PORT_RE, TYPED.host).replace(IP_RE, TYPED.ip);
      expect(maskWholeAddress(token, TYPED)).toBe(byRules);
      expect(maskToken(token, TYPED)).toBe(byRules);
    }
    // Anything else is left to the rules.
    for (const token of [
      '10.0.0.1:123456',
      '1.2.3.4.5',
      '1234.1.1.1',
      '/10.0.0.1',
      '10.0.0.1:',
      '10.0.0.1:80,',
      '//10.0.0.1:80',
    ])
      expect(maskWholeAddress(token, TYPED)).toBeUndefined();
  });
});

describe('masking long input', () => {
  it('cuts a message at MAX_MESSAGE characters, which bounds the work of every rule', () => {
    expect(maskMessage('a'.repeat(100_000) + '@')).toBe('a'.repeat(MAX_MESSAGE));
    expect(maskTokens('retry '.repeat(10_000)).length).toBe(Math.ceil(MAX_MESSAGE / 6));
  });
});
