# A worker alone (decode loop, heartbeats) with the repository's models/ directory.
# libtorch is the CPU build bundled in the jar (pytorch-native-cpu); DJL runs offline.
# Build context: the repository root, after `mvn -B -DskipTests package`:
#   docker build -f infra/docker/worker.Dockerfile -t tessera-worker .
FROM eclipse-temurin:17-jre
# curl: the compose healthcheck asks /actuator/health/readiness
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app tessera
WORKDIR /app
COPY gpu-worker/target/tessera-worker.jar /app/tessera-worker.jar
COPY models /app/models
# DJL: no download, no call home; natives are extracted under /tmp (about 430 MB) at start.
# glibc malloc tuned for large tensors, as ./tessera sets it (shared docs, stack.md).
ENV DJL_OFFLINE=true \
    OPT_OUT_TRACKING=true \
    DJL_CACHE_DIR=/tmp/djl \
    ENGINE_CACHE_DIR=/tmp/djl \
    TESSERA_WORKER_MODELS_DIR=/app/models \
    MALLOC_ARENA_MAX=1 \
    MALLOC_MMAP_MAX_=0 \
    MALLOC_TRIM_THRESHOLD_=68719476736
USER 10001
EXPOSE 8082
# exec form: java is PID 1 and gets SIGTERM itself: the worker stops taking batches, hands back what
# it has not started and finishes what it decodes. The heap is a smaller share: libtorch's tensors
# live outside it.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-Dai.djl.offline=true", \
            "-Dai.djl.pytorch.num_interop_threads=1", "-jar", "/app/tessera-worker.jar"]
