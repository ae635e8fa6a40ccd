import { describe, expect, it } from 'vitest';
import { expandTemplate, loadMigrations } from '../../src/store/migrator.js';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres/postgres-migrate.js';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/sqlite-migrate.js';

/**
 * The checksums databases migrated before these files became shared templates recorded: the
 * templates must expand to the same bytes, or every such database would refuse to start.
 */
const RECORDED: Record<string, Record<string, string>> = {
  sqlite: {
    '0001_init': '89d15c40e7b1a69e5da2358205ee7bd54230a731c946741910f6bd4607987d91',
    '0003_pattern_book': '5582ced4efb2f893d877cf8ba66d835bcd6a3692607440430feb059e882ec146',
    '0010_monitor': '5a256b462b83f69ea6db88b306f5e5894f1841ec5f1d8b687e1618f42cc8ea19',
    '0015_healer': '6d3d61de79ba2ff1d9529dbd1b7e24d7644c65295592d699749b76f48b84275c',
    '0040_shared_heal_limits': 'e6fe6e84a8b04e2b0ed1c97b9464c0f2e270d04b946e045f2d60a2f0e741687b',
    '0041_remedy_repeats': '8e8a8c18c1de99ba748d091089d5a12f165cec7b1481e4bcad10bec6344cc2a9',
  },
  postgres: {
    '0001_init': '25d4e0e9ef3b0596408fe09305549783a31e659e1a99a29fbf511170d1c90107',
    '0003_pattern_book': '2d0a4c747a745254a26b5e25de55c5bd8b42255a3dc148bae0c0f940ada7c8a9',
    '0010_monitor': 'b2322b073b2d3d69349c10eb1a309d474ede8d0e4096f110fc34cc5db807cc3a',
    '0015_healer': '8f27aed126a6af8d8ef78dae6c9c610b6cb923cb83b0e368462a73f7be0838cc',
    '0040_shared_heal_limits': 'b726f0a9e9c442251ed2913b260d49fc2cafaa96a1230533aa829bf79dee4048',
    '0041_remedy_repeats': '3b42e18951af238a1d9d58a38dea46afaca7f7a675cac4fd114c54b1e5eed7e4',
  },
};

const DIALECTS = { sqlite: SQLITE_MIGRATIONS, postgres: POSTGRES_MIGRATIONS };

describe('shared migration templates', () => {
  it.each(['sqlite', 'postgres'] as const)(
    'expand for %s to the bytes its databases recorded the checksums of',
    (engine) => {
      const folder = new URL(`../../src/store/${engine}/migrations/`, import.meta.url);
      const checksums = Object.fromEntries(
        loadMigrations(folder, DIALECTS[engine])
          .filter((migration) => migration.name in RECORDED[engine]!)
          .map((migration) => [migration.name, migration.checksum]),
      );
      expect(checksums).toEqual(RECORDED[engine]);
    },
  );

  it("keep a line for its engine only and spell each word the engine's way", () => {
    const template = 'a {{bigint}}\n-- sqlite: only sqlite\n-- postgres: only postgres\nb\n';
    expect(expandTemplate(template, SQLITE_MIGRATIONS)).toBe('a INTEGER\nonly sqlite\nb\n');
    expect(expandTemplate(template, POSTGRES_MIGRATIONS)).toBe('a BIGINT\nonly postgres\nb\n');
  });

  it('refuse a word no engine spells', () => {
    expect(() => expandTemplate('{{blob}}', SQLITE_MIGRATIONS)).toThrow(/\{\{blob\}\}/);
  });
});
