# The standalone Durably server (durably server) in a container: docs/container.md.
#   docker build -t durably .
#   docker run -p 8080:8080 -v durably-data:/data -e DURABLY_API_KEY="$(openssl rand -hex 32)" durably
# It listens on 0.0.0.0 inside the container, so it needs an API key (DURABLY_API_KEY, 32+ characters): without one
# it refuses to start. tests/Durably.Packaging.Tests/DockerfileTests.cs runs this file's publish, entry point and
# health check lines against the published binary.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Durably.Cli/Durably.Cli.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
COPY --from=build /app /app
# The image's non-root user (app, uid 1654) owns the data folder; the SQLite file and its WAL live there.
RUN ln -s /app/Durably.Cli /usr/local/bin/durably && mkdir -p /data && chown app:app /data
USER app
VOLUME /data
EXPOSE 8080
# /health needs no key; the tool asks it (the image has no curl).
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["durably", "health", "--server", "http://127.0.0.1:8080"]
ENTRYPOINT ["durably", "server", "--db", "/data/durably.db", "--urls", "http://0.0.0.0:8080"]
