# syntax=docker/dockerfile:1
# Multi-stage build of the exportflows worker/CLI.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ExportFlows.sln ./
COPY src/Workflows/ExportFlows.Workflows.csproj src/Workflows/
COPY src/Activities/ExportFlows.Activities.csproj src/Activities/
COPY src/Worker/ExportFlows.Worker.csproj src/Worker/
RUN dotnet restore src/Worker/ExportFlows.Worker.csproj
COPY src/ src/
RUN dotnet publish src/Worker/ExportFlows.Worker.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/runtime:10.0 AS runtime
# tzdata: "today" is the America/New_York date; DuckDB's native library needs the C++ runtime.
RUN apt-get update && apt-get install -y --no-install-recommends tzdata libstdc++6 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
RUN useradd --create-home --uid 10001 exportflows && mkdir -p /data && chown exportflows /data
USER exportflows
ENV XDG_CACHE_HOME=/data/cache
ENTRYPOINT ["/app/exportflows"]
CMD ["worker"]
