#!/usr/bin/env node
import '../dist/cli-bin/cli-optimizer.js'
