import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appFrames, fingerprintError, stuckSignature } from '../../src/patterns/fingerprint.js';
import { maskTokens } from '../../src/patterns/mask.js';
import { TemplateTree } from '../../src/patterns/template-tree.js';

const stack = (line: number, root = '/srv/app'): string =>
  [
    'Error: connect ECONNREFUSED 10.0.0.5:5432',
    `    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)`,
    `    at Client.connect (${root}/node_modules/pg/lib/client.js:${line}:11)`,
    `    at async loadUsers (${root}/src/users/load-users.ts:${line}:7)`,
    `    at async Worker.run (file://${root}/src/orchestrator/worker.ts:${line + 3}:5)`,
    `    at new Importer (${root}/src/import/importer.ts:12:3)`,
    `    at main (${root}/src/main.ts:4:1)`,
    `    at node:internal/process/task_queues:95:5`,
  ].join('\n');

describe('fingerprintError', () => {
  it('gives the same signature to the same root cause with different values', () => {
    const a = fingerprintError({
      name: 'Error',
      code: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED 10.0.0.5:5432',
      stack: stack(40),
    });
    const b = fingerprintError({
      name: 'Error',
      code: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED 10.0.9.1:6432',
      stack: stack(52, '/opt/other'),
    });
    expect(b.signature).toBe(a.signature);
    expect(a.signature).toMatch(/^[0-9a-f]{16}$/);
    expect(a.template).toBe('connect ECONNREFUSED <host>');
  });

  it('gives different signatures to different root causes', () => {
    const base = { name: 'Error', message: 'request failed with status 429' };
    const signatures = new Set([
      fingerprintError(base).signature,
      fingerprintError({ ...base, message: 'request failed: socket hang up' }).signature,
      fingerprintError({ ...base, name: 'TypeError' }).signature,
      fingerprintError({ ...base, code: 'ERR_RATE_LIMIT' }).signature,
      fingerprintError({ ...base, status: 503 }).signature,
      fingerprintError({ ...base, stack: stack(1) }).signature,
    ]);
    expect(signatures.size).toBe(6);
  });

  it('groups a message-only error on its template', () => {
    const a = fingerprintError({ message: 'job 81 timed out after 30s' });
    const b = fingerprintError({ message: 'job 4411 timed out after 2m' });
    expect(b.signature).toBe(a.signature);
    expect(a.frames).toEqual([]);
  });

  it('hashes content only, so every process and every node computes the same value', () => {
    // Golden value: signatures are stored, so a change here orphans every learned pattern.
    expect(
      fingerprintError({
        name: 'TypeError',
        message: "Cannot read properties of undefined (reading 'id')",
      }).signature,
    ).toBe('3561b74dde60abe4');
    expect(
      fingerprintError({
        name: 'TypeError',
        message: "Cannot read properties of undefined (reading 'name')",
      }).signature,
    ).toBe('3561b74dde60abe4');
  });

  it('hashes the JSON of its parts, also when a part has quotes, control characters or lone surrogates', () => {
    // Stored signatures hash these bytes: a cheaper way to build them must give the same.
    for (const [name, message] of [
      ['E"rr', 'open "a b" failed'],
      ['Err\\or', 'tab\there\u0001 \ud800 \udc00x 😀 ünïcode'],
    ] as const) {
      const parts = [name, '', '', `template:${maskTokens(message).join(' ')}`];
      const expected = createHash('sha256')
        .update(JSON.stringify(parts))
        .digest('hex')
        .slice(0, 16);
      expect(fingerprintError({ name, message }).signature).toBe(expected);
    }
  });

  it('mines values no mask knows into the template when given a tree, and keeps the exact shape as signature', () => {
    const tree = new TemplateTree();
    const a = fingerprintError(
      { message: 'model small_chat refused the prompt: content policy' },
      tree,
    );
    const b = fingerprintError(
      { message: 'model large_chat refused the prompt: content policy' },
      tree,
    );
    expect(b.signature).not.toBe(a.signature);
    expect(b.signature).toBe(
      fingerprintError({ message: 'model large_chat refused the prompt: content policy' })
        .signature,
    );
    expect(b.template).toBe('model <*> refused the prompt: content policy');
    expect(b.clusterId).toBe(a.clusterId);
    expect(tree.resolve(a.clusterId!)).toBe(a.clusterId);
  });
});

describe('appFrames', () => {
  it('keeps the top app frames, without line numbers, dependencies or Node internals', () => {
    expect(appFrames(stack(40))).toEqual([
      'loadUsers (users/load-users.ts)',
      'Worker.run (orchestrator/worker.ts)',
      'Importer (import/importer.ts)',
    ]);
  });

  it('reads Firefox and Safari frames too', () => {
    expect(
      appFrames('save@https://app.example.com/assets/orders.js:10:5\n@debugger eval code:1:1'),
    ).toEqual(['save (assets/orders.js)']);
  });

  it('drops the aliases V8 adds to method names', () => {
    expect(appFrames('    at Poller.tick [as _onTimeout] (/srv/app/src/poller.ts:9:3)')).toEqual([
      'Poller.tick (src/poller.ts)',
    ]);
  });

  it('does not take message lines for frames', () => {
    expect(appFrames('Error: mail to ops@example.com failed\n    at least once more')).toEqual([]);
  });
});

describe('stuckSignature', () => {
  it('makes one pattern of a stage whatever the job or the percentage', () => {
    const a = stuckSignature('site-build', 'Setting up database foundation', 25);
    const b = stuckSignature('site-build', 'Setting up database foundation', 27);
    expect(b).toEqual(a);
    expect(a.signature).toBe('4f3bb905b7e4e33f');
    expect(a.template).toBe("stuck at '<stage>' (<pct>%)");
    expect(a.frames).toEqual([]);
  });

  it('masks the values inside a stage name', () => {
    expect(stuckSignature('import', 'Importing batch 3 of 10', 40).signature).toBe(
      stuckSignature('import', 'Importing batch 7 of 10', 80).signature,
    );
  });

  it('tells job types and stages apart', () => {
    const signatures = new Set([
      stuckSignature('site-build', 'Setting up database foundation', 25).signature,
      stuckSignature('site-build', 'Deploying', 90).signature,
      stuckSignature('import', 'Setting up database foundation', 25).signature,
    ]);
    expect(signatures.size).toBe(3);
  });
});
