#!/usr/bin/env bash
# Makes the distroless-style base image the Containerfile builds on where no published one can be
# pulled: glibc, libstdc++, CA certificates, tzdata and /etc/services from Debian packages, no shell,
# no package manager, the user "nonroot" (65532) with its home. The root file system is cached as a
# tarball under a stable path, so only the first build on a machine downloads packages.
#
# Usage: scripts/container-base.sh [IMAGE]   (default localhost/flux-mcp-base:bookworm)
set -euo pipefail
image=${1:-localhost/flux-mcp-base:bookworm}
cache=${FLUX_MCP_BASE_CACHE:-/var/cache/flux-mcp/base-bookworm.tar}

if podman image exists "$image"; then
  echo "base image $image exists" >&2
  exit 0
fi

if [ ! -s "$cache" ]; then
  mkdir -p "$(dirname "$cache")"
  # The extract variant unpacks the packages without running their scripts: nothing that needs a
  # shell. The hooks (run right after extraction) write what the scripts would have: users, groups, writable directories, the
  # certificate bundle (Node has its own, other tools and NODE_USE_SYSTEM_CA read this one).
  mmdebstrap --variant=extract --mode=root --format=tar \
    --include=libc6,libstdc++6,libgcc-s1,ca-certificates,base-files,tzdata,netbase \
    --extract-hook='printf "root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n" > "$1/etc/passwd"' \
    --extract-hook='printf "root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n" > "$1/etc/group"' \
    --extract-hook='mkdir -p "$1/home/nonroot" "$1/tmp" "$1/root" && chown 65532:65532 "$1/home/nonroot" && chmod 0700 "$1/home/nonroot" "$1/root" && chmod 1777 "$1/tmp"' \
    --extract-hook='ln -sf /usr/share/zoneinfo/Etc/UTC "$1/etc/localtime" && echo Etc/UTC > "$1/etc/timezone"' \
    --extract-hook='mkdir -p "$1/etc/ssl/certs" && cat "$1"/usr/share/ca-certificates/mozilla/*.crt > "$1/etc/ssl/certs/ca-certificates.crt"' \
    --extract-hook='rm -rf "$1/usr/share/doc" "$1/usr/share/man" "$1/usr/share/info" "$1/usr/share/lintian" "$1/var/cache/apt" "$1/var/lib/apt/lists"' \
    bookworm "$cache.partial"
  mv "$cache.partial" "$cache"
fi

podman import --change 'USER 65532:65532' --change 'WORKDIR /home/nonroot' "$cache" "$image" >/dev/null
echo "base image $image made from $cache" >&2
