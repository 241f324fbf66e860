# syntax=docker/dockerfile:1
# Multi-stage build of the exportflows worker/CLI.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Project files and lock files first: the restore layer is reused until a dependency changes.
COPY global.json Directory.Build.props Directory.Packages.props ExportFlows.sln ./
COPY src/Workflows/ExportFlows.Workflows.csproj src/Workflows/packages.lock.json src/Workflows/
COPY src/Activities/ExportFlows.Activities.csproj src/Activities/packages.lock.json src/Activities/
COPY src/Worker/ExportFlows.Worker.csproj src/Worker/packages.lock.json src/Worker/
RUN dotnet restore src/Worker/ExportFlows.Worker.csproj --locked-mode -r linux-x64
COPY src/ src/
# linux-x64 only, framework-dependent: ~110 MB instead of ~550 MB with every platform's native libraries.
RUN dotnet publish src/Worker/ExportFlows.Worker.csproj -c Release -r linux-x64 --self-contained false -o /app --no-restore

# The ASP.NET Core runtime: the worker also serves the Pub/Sub push and health endpoints.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# tzdata: "today" is the America/New_York date; DuckDB's native library needs the C++ runtime.
RUN apt-get update && apt-get install -y --no-install-recommends tzdata libstdc++6 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
# /data/cache and /data/out are world-writable so the worker can run as the host user (EXPORTFLOWS_UID) over bind mounts.
RUN useradd --create-home --uid 10001 exportflows && mkdir -p /data/cache /data/out && chown -R exportflows /data && chmod 1777 /data/cache /data/out
USER exportflows
ENV XDG_CACHE_HOME=/data/cache
ENTRYPOINT ["/app/exportflows"]
CMD ["worker"]
