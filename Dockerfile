# Multi-stage build of the single `hilo` binary. The same image runs every mode:
#   docker run IMAGE api | worker | scheduler | migrate
FROM oven/bun:1.4-debian AS build
WORKDIR /src
COPY package.json bun.lock ./
RUN bun install --frozen-lockfile
COPY tsconfig.json ./
COPY src ./src
COPY drizzle ./drizzle
RUN bun run build

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata \
  && rm -rf /var/lib/apt/lists/* \
  && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin hilo
COPY --from=build /src/dist/hilo /usr/local/bin/hilo
USER hilo
ENV HILO_ENV=production PORT=8080
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/hilo"]
CMD ["api"]
