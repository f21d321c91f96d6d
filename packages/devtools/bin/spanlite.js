#!/usr/bin/env node
// The `spanlite` command. A file of its own (not dist/cli.js directly) so that npm links it at
// install time even in a workspace where dist/ is built afterwards.
import '../dist/cli.js';
