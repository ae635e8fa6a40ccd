import pg from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createTestEngine, waitForEvents } from '../helpers/engines.js';
import { ENGINES, TEST_DATABASE_URL } from '../helpers/stores.js';

/** The application's own connection, with its search_path pointing at its own tables. */
async function appConnection(schema: string): Promise<pg.Client> {
  const app = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await app.connect();
  onTestFinished(() => app.end());
  await app.query(
    `CREATE TABLE IF NOT EXISTS ${schema}.app_users (id serial PRIMARY KEY, email text NOT NULL)`,
  );
  return app;
}

async function engineWithWorkerType() {
  const { mm, db } = await createTestEngine('postgres');
  mm.define('send-welcome-email', { maxAttempts: 5, run: (payload) => ({ sent: payload }) });
  await mm.start(); // describes the type, as a deployed worker does
  return { mm, schema: db.schema! };
}

describe.runIf(ENGINES.includes('postgres'))(
  'transactional enqueue on PostgreSQL (the outbox pattern)',
  () => {
    it('enqueues inside the application’s transaction: the job exists once it commits, and runs', async () => {
      const { mm, schema } = await engineWithWorkerType();
      const app = await appConnection(schema);
      await app.query('BEGIN');
      await app.query(`INSERT INTO ${schema}.app_users (email) VALUES ('ada@example.com')`);
      const job = await mm.enqueue(
        'send-welcome-email',
        { to: 'ada@example.com' },
        { db: app, priority: 3 },
      );
      // Not visible outside the transaction yet, so no worker can run it before the user exists.
      expect(await mm.getJob(job.id)).toBeUndefined();
      const completed = waitForEvents(mm, 'job:completed');
      await app.query('COMMIT');
      await completed;
      expect(await mm.getJob(job.id)).toMatchObject({
        status: 'completed',
        priority: 3,
        maxAttempts: 5,
        result: { sent: { to: 'ada@example.com' } },
      });
    });

    it('leaves no job when the transaction rolls back', async () => {
      const { mm, schema } = await engineWithWorkerType();
      const app = await appConnection(schema);
      await app.query('BEGIN');
      const job = await mm.enqueue('send-welcome-email', { to: 'grace@example.com' }, { db: app });
      await app.query('ROLLBACK');
      expect(await mm.getJob(job.id)).toBeUndefined();
      expect(await mm.countJobs()).toBe(0);
      // The application's connection is left as it was: its search_path was never changed.
      expect((await app.query('SHOW search_path')).rows[0]).toEqual({
        search_path: '"$user", public',
      });
    });

    it('enqueues from SQL — a trigger here — through megamind_add_job, and refuses an unknown type', async () => {
      const { mm, schema } = await engineWithWorkerType();
      const app = await appConnection(schema);
      await app.query(`
      CREATE FUNCTION ${schema}.welcome() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM ${schema}.megamind_add_job('send-welcome-email', jsonb_build_object('to', NEW.email), idempotency_key => 'welcome:' || NEW.id);
        RETURN NEW;
      END $$;
      CREATE TRIGGER welcome AFTER INSERT ON ${schema}.app_users FOR EACH ROW EXECUTE FUNCTION ${schema}.welcome();`);
      const completed = waitForEvents(mm, 'job:completed');
      await app.query(`INSERT INTO ${schema}.app_users (email) VALUES ('linus@example.com')`);
      await completed;
      const [job] = await mm.listJobs();
      expect(job).toMatchObject({
        type: 'send-welcome-email',
        status: 'completed',
        payload: { to: 'linus@example.com' },
        maxAttempts: 5,
        idempotencyKey: 'welcome:1',
      });
      await expect(
        app.query(`SELECT ${schema}.megamind_add_job('send-welcom-email')`),
      ).rejects.toThrow('unknown job type "send-welcom-email": no worker has described it');
    });
  },
);

describe('transactional enqueue elsewhere', () => {
  it('is refused on SQLite, naming why', async () => {
    const { mm } = await createTestEngine('sqlite');
    mm.define('report', { run: () => null });
    const fake = { query: () => Promise.resolve({ rows: [] }) };
    await expect(mm.enqueue('report', {}, { db: fake })).rejects.toThrow(
      'enqueue with `db` (inside your transaction) needs a PostgreSQL store',
    );
  });
});
