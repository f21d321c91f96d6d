import { defineEdgeSuites } from '../../../scripts/edge/edge-suite';

await defineEdgeSuites(new URL('..', import.meta.url).pathname);
