# syntax=docker/dockerfile:1.7
# One image, three entry points (router, MCP server, OCS emulator); compose.yaml picks the command.
# The build stage compiles and bundles; the runtime stage holds only what runs: the Node binary and
# the C libraries it links, one production bundle per service, better-sqlite3's native addon, and
# nothing else (no shell, no npm, no headers, no build tools, no dev dependencies).

FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/contract/package.json packages/contract/
COPY packages/telemetry/package.json packages/telemetry/
COPY packages/emulator/package.json packages/emulator/
COPY packages/mcp-server/package.json packages/mcp-server/
COPY packages/router/package.json packages/router/
COPY packages/client/package.json packages/client/
COPY packages/console/package.json packages/console/
COPY bench/package.json bench/
RUN npm ci --no-audit --no-fund --ignore-scripts=false
COPY tsconfig.base.json ./
COPY packages packages
COPY scripts scripts
# /runtime becomes the runtime image's root: the bundles (scripts/bundle.mjs), the Node binary, the
# shared libraries that it and the addon link (as ldd finds them), and the image user.
RUN npm run build \
 && node scripts/bundle.mjs --image /runtime \
 && mkdir -p /runtime/usr/local/bin /runtime/etc /runtime/tmp /runtime/home/node /runtime-data/data \
 && cp /usr/local/bin/node /runtime/usr/local/bin/node \
 && ldd /usr/local/bin/node /runtime/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node \
      | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*ld-linux/ { print $1 }' | sort -u \
      | xargs -I{} cp -L --parents {} /runtime \
 && printf 'root:x:0:0:root:/root:/sbin/nologin\nnode:x:1000:1000::/home/node:/sbin/nologin\n' >/runtime/etc/passwd \
 && printf 'root:x:0:\nnode:x:1000:\n' >/runtime/etc/group \
 && chmod 1777 /runtime/tmp && chown 1000:1000 /runtime/home/node

FROM scratch AS runtime
COPY --from=build /runtime /
COPY --from=build --chown=1000:1000 /runtime-data/data /data
ENV PATH=/usr/local/bin NODE_ENV=production \
    ROUTER_HOST=0.0.0.0 MCP_HTTP_HOST=0.0.0.0 OCS_EMULATOR_HOST=0.0.0.0 \
    OCS_EMULATOR_DB=/data/ocs-emulator.sqlite ROUTER_DB=/data/router.sqlite
# glibc's malloc thresholds fixed (at their defaults), so that freed memory goes back to the system instead
# of staying in the arenas of V8's compiler threads: only a starting process's environment reaches the
# allocator. The bench launches the services with the same variables (bench/service-launch.mjs).
ENV MALLOC_MMAP_THRESHOLD_=131072 MALLOC_TRIM_THRESHOLD_=131072
WORKDIR /app
USER node
VOLUME ["/data"]
EXPOSE 8000 3001 8080
# HEALTHCHECK_URL is set per service in compose.yaml; the default suits the router.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 CMD ["node", "scripts/healthcheck.mjs"]
ENTRYPOINT ["node"]
CMD ["packages/router/dist/bin.js"]
