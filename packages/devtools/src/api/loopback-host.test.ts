import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, isLoopbackHost } from './loopback-host';

describe('isLoopbackHost', () => {
  it.each([
    'localhost',
    'localhost:4318',
    'LOCALHOST:4318',
    'localhost.:4318',
    'app.localhost:3000',
    '127.0.0.1',
    '127.0.0.1:4318',
    '127.1.2.3:80',
    '[::1]',
    '[::1]:4318',
    '[0:0:0:0:0:0:0:1]:4318',
    '[::ffff:127.0.0.1]:4318',
    undefined,
  ])('takes %s', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each([
    'attacker.example',
    'attacker.example:4318',
    'localhost.attacker.example:4318',
    '127.0.0.1.attacker.example',
    'localhost@attacker.example',
    'attacker.example@localhost',
    'localhost/x',
    '10.0.0.5:4318',
    '0.0.0.0:4318',
    '[::]:4318',
    '[::2]:4318',
    '',
    ':4318',
    'local host',
  ])('refuses %s', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('isLoopbackAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.0.1.1', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.20', false],
    ['fe80::1', false],
  ])('%s: %s', (address, loopback) => {
    expect(isLoopbackAddress(address)).toBe(loopback);
  });
});
