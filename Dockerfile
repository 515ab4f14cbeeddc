# syntax=docker/dockerfile:1.7
# One image, three entry points (router, MCP server, OCS emulator); compose.yaml picks the command.

FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/contract/package.json packages/contract/
COPY packages/emulator/package.json packages/emulator/
COPY packages/mcp-server/package.json packages/mcp-server/
COPY packages/router/package.json packages/router/
COPY packages/client/package.json packages/client/
COPY bench/package.json bench/
RUN npm ci --no-audit --no-fund --ignore-scripts=false
COPY tsconfig.base.json ./
COPY packages packages
COPY scripts scripts
RUN npm run build \
 && npm prune --omit=dev --workspace packages/contract --workspace packages/emulator \
      --workspace packages/mcp-server --workspace packages/router --workspace packages/client \
 && rm -rf packages/*/src packages/*/test packages/*/dist/.tsbuildinfo bench

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    ROUTER_HOST=0.0.0.0 MCP_HTTP_HOST=0.0.0.0 OCS_EMULATOR_HOST=0.0.0.0 \
    OCS_EMULATOR_DB=/data/ocs-emulator.sqlite ROUTER_DB=/data/router.sqlite
WORKDIR /app
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8000 3001 8080
# HEALTHCHECK_URL is set per service in compose.yaml; the default suits the router.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 CMD ["node", "scripts/healthcheck.mjs"]
ENTRYPOINT ["node"]
CMD ["packages/router/dist/bin.js"]
