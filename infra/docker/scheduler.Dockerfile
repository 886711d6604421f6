# The scheduler alone (queues, batching, dispatch). Run several: one holds the dispatch lease in
# PostgreSQL, the others stand by.
# Build context: the repository root, after `mvn -B -DskipTests package`:
#   docker build -f infra/docker/scheduler.Dockerfile -t tessera-scheduler .
FROM eclipse-temurin:17-jre
# curl: the compose healthcheck asks /actuator/health/readiness
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app tessera
WORKDIR /app
COPY scheduler/target/tessera-scheduler.jar /app/tessera-scheduler.jar
USER 10001
EXPOSE 8081
# exec form: java is PID 1 and gets SIGTERM itself (graceful shutdown); more flags: JAVA_TOOL_OPTIONS
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/tessera-scheduler.jar"]
