import { defineConfig } from 'tsup';
import { runtimeBuilds } from '../../scripts/tsup-runtime';

export default defineConfig(
  runtimeBuilds({ index: 'src/index.ts' }, { manglePrivateMembers: true }),
);
