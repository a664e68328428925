#!/usr/bin/node
// The image's /flux-operator-mcp, where the reference's image has its binary: runs the bundled CLI.
import "/app/dist/cli.js";
