import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Worker-process tests spawn real children and wait on real databases.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: more parallel files only adds contention on SQLite files and Postgres.
    maxWorkers: 2,
    // Engines log failures they run into on purpose; tests read logs through loggers of their own.
    env: { MEGAMIND_LOG_LEVEL: 'silent' },
  },
});
