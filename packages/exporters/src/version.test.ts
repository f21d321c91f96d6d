import { describe, expect, it } from 'vitest';
import pkg from '../package.json';
import { VERSION } from './version';

describe('VERSION', () => {
  it('matches package.json, so the exporter’s User-Agent tells the truth', () => {
    expect(VERSION).toBe(pkg.version);
  });
});
