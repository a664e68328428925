#!/usr/bin/env bash
# Installs and configures what the container tests need on a CI machine (Debian or Ubuntu, root or
# sudo): podman with runc and the vfs storage driver, which work without a Docker engine, and
# mmdebstrap for the base image (settings from the project's container notes: without an empty
# default_ulimits the runtime fails with "setrlimit ... operation not permitted").
set -euo pipefail
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v podman >/dev/null || ! command -v mmdebstrap >/dev/null || ! command -v runc >/dev/null; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman buildah runc mmdebstrap >/dev/null
fi
as_root mkdir -p /etc/containers/containers.conf.d
printf '[containers]\ndefault_ulimits = []\n\n[engine]\nruntime = "runc"\n' |
  as_root tee /etc/containers/containers.conf.d/50-flux-mcp-ci.conf >/dev/null
if [ ! -e /etc/containers/storage.conf ]; then
  printf '[storage]\ndriver = "vfs"\nrunroot = "/run/containers/storage"\ngraphroot = "/var/lib/containers/storage"\n' |
    as_root tee /etc/containers/storage.conf >/dev/null
fi
podman info --format 'podman {{.Version.Version}}: storage {{.Store.GraphDriverName}}, runtime {{.Host.OCIRuntime.Name}}'
