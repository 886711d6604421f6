# The gateway alone (HTTP API, result recorder, admin API; it creates the schema with Flyway).
# Build context: the repository root, after `mvn -B -DskipTests package`:
#   docker build -f infra/docker/gateway.Dockerfile -t tessera-gateway .
FROM eclipse-temurin:17-jre
# curl: the compose healthcheck asks /actuator/health/readiness
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app tessera
WORKDIR /app
COPY api-gateway/target/tessera-gateway.jar /app/tessera-gateway.jar
USER 10001
EXPOSE 8080
# exec form: java is PID 1 and gets SIGTERM itself (graceful shutdown); more flags: JAVA_TOOL_OPTIONS
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/tessera-gateway.jar"]
