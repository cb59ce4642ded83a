import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const empty = mkdtempSync(path.join(os.tmpdir(), 'tapis-config-'));

describe('configuration', () => {
  it('has working defaults', () => {
    const config = loadConfig({}, empty);
    expect(config).toMatchObject({
      PORT: 8080,
      HOST: '127.0.0.1',
      TAPIS_DATA_DIR: './data',
      LOG_LEVEL: 'info',
      TAPIS_BODY_LIMIT: 1048576,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.publicUrl).toBe('http://127.0.0.1:8080');
    expect(config.cookieSecure).toBe(false);
  });

  it('stops start-up with a message naming each bad setting', () => {
    expect(() => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' }, empty)).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' }, empty);
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/PORT:/);
      expect(message).toMatch(/LOG_LEVEL:/);
      expect(message).toMatch(/DATABASE_URL: must be a postgres/);
    }
  });

  it('reads a config file, and lets the environment override it', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tapis-config-'));
    writeFileSync(
      path.join(dir, 'tapis.config.json'),
      JSON.stringify({ PORT: 9000, HOST: '0.0.0.0', TAPIS_PUBLIC_URL: 'https://tapis.example' }),
    );
    const config = loadConfig({ HOST: '127.0.0.2' }, dir);
    expect(config.PORT).toBe(9000);
    expect(config.HOST).toBe('127.0.0.2');
    expect(config.cookieSecure).toBe(true);
  });

  it('refuses an unknown setting in the config file and a missing explicit file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tapis-config-'));
    writeFileSync(path.join(dir, 'tapis.config.json'), JSON.stringify({ PROT: 9000 }));
    expect(() => loadConfig({}, dir)).toThrow(/PROT/);
    expect(() => loadConfig({ TAPIS_CONFIG: 'nope.json' }, empty)).toThrow(/TAPIS_CONFIG: no file/);
  });
});
