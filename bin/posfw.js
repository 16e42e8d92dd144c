#!/usr/bin/env node
// posfw command-line entry: runs the compiled CLI (build with `make build`).
require('../dist/cli/index.js').main(process.argv);
