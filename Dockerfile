# Fovea gateway image: DICOMweb + JPIP on HTTP 8080, DICOM (DIMSE) on 11112, state in /data.
# Build:  docker build -t fovea .
# Run:    docker run -p 8080:8080 -p 11112:11112 -v fovea-data:/data fovea
# Configuration is by FOVEA_* environment variables (see README "Configuration").

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 downloads a prebuilt binary; the tool chain is the fallback when none fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
# npm ci runs the "prepare" script (npm run build) once the dependencies are in place.
RUN npm ci \
 && test -f dist/cli/main.js \
 && npm prune --omit=dev \
 && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    FOVEA_HOST=0.0.0.0 \
    FOVEA_PORT=8080 \
    FOVEA_DATA=/data \
    FOVEA_DIMSE_PORT=11112 \
    FOVEA_AE_TITLE=FOVEA \
    FOVEA_LOG_LEVEL=info
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/migrations ./migrations
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080 11112
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:8080/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["serve"]
