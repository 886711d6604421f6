package dev.tessera.infra;

import dev.tessera.infra.local.TesseraApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same end-to-end scenario against Kafka, PostgreSQL and Redis containers, as a user would run
 * them elsewhere. Skipped where no Docker engine is available.
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(classes = TesseraApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "tessera.worker.models=fm-ar",
        "tessera.worker.models-dir=target/no-models-here",
        "tessera.worker.random-model.dim=32",
        "tessera.worker.random-model.layers=2",
        "tessera.worker.random-model.heads=2",
        "tessera.worker.max-images=4",
        "tessera.worker.heartbeat-interval=500ms",
        "tessera.scheduler.max-batch-wait=20ms"})
class GenerationEndToEndContainersTest {

  @Container
  static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:3.9.1");

  @Container
  static final PostgreSQLContainer<?> POSTGRES = new PostgreSQLContainer<>("postgres:17-alpine");

  @Container
  static final GenericContainer<?> REDIS =
      new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);

  @DynamicPropertySource
  static void servers(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", KAFKA::getBootstrapServers);
    registry.add("spring.datasource.url", POSTGRES::getJdbcUrl);
    registry.add("spring.datasource.username", POSTGRES::getUsername);
    registry.add("spring.datasource.password", POSTGRES::getPassword);
    registry.add("tessera.redis.address",
        () -> "redis://" + REDIS.getHost() + ":" + REDIS.getMappedPort(6379));
  }

  private final ApplicationContext context;
  private final int port;

  GenerationEndToEndContainersTest(ApplicationContext context, @LocalServerPort int port) {
    this.context = context;
    this.port = port;
  }

  @Test
  void aRequestBecomesAnImageAgainstContainers() throws Exception {
    new EndToEndScenario(context, port).run();
  }
}
