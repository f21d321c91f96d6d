// The npm registry reachable from this project's machines lacks the other platforms' builds of
// some native tools (biome, rollup, turbo), so `npm install` cannot record them in
// package-lock.json, and `npm ci` then refuses the lock ("Missing: … from lock file").
// This adds a record for each missing platform package: name, version, os, cpu and libc, enough
// for `npm ci` to accept the lock and skip them on this platform (they are optional, for other
// platforms). Run it after every `npm install` that changes the lock: `npm run lock:complete`.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;

const OS = [
  ['android', 'android'],
  ['darwin', 'darwin'],
  ['freebsd', 'freebsd'],
  ['openbsd', 'openbsd'],
  ['openharmony', 'openharmony'],
  ['win32', 'win32'],
  ['windows', 'win32'],
  ['linux', 'linux'],
];
const CPU = [
  ['arm64', 'arm64'],
  ['x64', 'x64'],
  ['-64', 'x64'],
  ['ia32', 'ia32'],
  ['loong64', 'loong64'],
  ['ppc64', 'ppc64'],
  ['riscv64', 'riscv64'],
  ['s390x', 's390x'],
  ['-arm', 'arm'],
];

function platformOf(name) {
  const base = name.split('/').pop();
  const os = OS.find(([key]) => base.includes(key))?.[1];
  const cpu = CPU.find(([key]) => base.includes(key))?.[1];
  if (!os || !cpu) return undefined;
  const libc = os !== 'linux' ? undefined : base.includes('musl') ? 'musl' : 'glibc';
  return { os, cpu, libc };
}

let added = 0;
for (const [location, record] of Object.entries(packages)) {
  for (const [name, range] of Object.entries(record.optionalDependencies ?? {})) {
    const nested = `${location}/node_modules/${name}`;
    if (packages[`node_modules/${name}`] || packages[nested]) continue;
    const platform = platformOf(name);
    const version = String(range).replace(/^[\^~=]/, '');
    if (!platform || !/^\d+\.\d+\.\d+/.test(version)) {
      console.error(
        `complete-lockfile: cannot place ${name}@${range} (from ${location}); left out`,
      );
      continue;
    }
    packages[`node_modules/${name}`] = {
      version,
      ...(record.dev ? { dev: true } : {}),
      optional: true,
      os: [platform.os],
      cpu: [platform.cpu],
      ...(platform.libc ? { libc: [platform.libc] } : {}),
    };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: ${added} platform package record(s) added`);
