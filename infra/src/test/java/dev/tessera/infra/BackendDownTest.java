package dev.tessera.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.contract.ModelDescriptor;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.WorkerHeartbeat;
import dev.tessera.gateway.GatewayApplication;
import dev.tessera.gateway.auth.TenantService;
import dev.tessera.gateway.catalog.ModelCatalog;
import dev.tessera.infra.local.FreePorts;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The gateway alone, with one backing service pointed at a port where nothing listens: it answers
 * 503 problems, never 500, and a request whose publish fails is kept in PostgreSQL. These contexts
 * do not run the result recorder (it would join the shared recorder group) and are closed after use.
 */
class BackendDownTest {

  private static final String DEAD = "127.0.0.1:" + FreePorts.next();

  static void assertUnavailable(HttpResponse<String> response, String service) throws Exception {
    assertThat(response.statusCode()).as("status of " + response.body()).isEqualTo(503);
    assertThat(response.headers().firstValue("Content-Type")).as("problem content type")
        .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
    assertThat(response.headers().firstValue("Retry-After")).as("Retry-After").isPresent();
    JsonNode problem = EndToEndScenario.json(response.body());
    assertThat(problem.path("type").asText()).as("type")
        .isEqualTo("https://tessera.dev/problems/service-unavailable");
    assertThat(problem.path("service").asText()).as("which service").isEqualTo(service);
  }

  @Nested
  @SpringBootTest(classes = GatewayApplication.class,
      webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
      properties = {"spring.flyway.enabled=false", "spring.datasource.username=postgres",
          "tessera.gateway.recorder-enabled=false",
          "spring.datasource.hikari.connection-timeout=1000"})
  @ContextConfiguration(initializers = EmbeddedStack.class)
  @DirtiesContext
  class PostgresDown {

    @DynamicPropertySource
    static void deadDatabase(DynamicPropertyRegistry registry) {
      registry.add("spring.datasource.url", () -> "jdbc:postgresql://" + DEAD + "/tessera");
    }

    private final ApplicationContext context;
    private final int port;

    PostgresDown(ApplicationContext context, @LocalServerPort int port) {
      this.context = context;
      this.port = port;
    }

    @Test
    void requestsGet503NamingPostgresql() throws Exception {
      EndToEndScenario api = new EndToEndScenario(context, port);
      String someKey = "tsk_AAAAAAAAAAAA_" + "B".repeat(40);

      assertUnavailable(api.post("/v1/generations", someKey, "application/json",
          "{\"model\":\"fm-ar\",\"class_label\":1}"), "postgresql");
      assertUnavailable(api.get("/v1/generations/" + UUID.randomUUID(), someKey), "postgresql");
    }
  }

  @Nested
  @SpringBootTest(classes = GatewayApplication.class,
      webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
      properties = {"spring.kafka.admin.auto-create=false", "tessera.gateway.publish-timeout=1s",
          "tessera.gateway.recorder-enabled=false",
          "tessera.gateway.kafka-probe-interval=100ms"})
  @ContextConfiguration(initializers = EmbeddedStack.class)
  @DirtiesContext
  class KafkaDown {

    @DynamicPropertySource
    static void deadKafka(DynamicPropertyRegistry registry) {
      registry.add("spring.kafka.bootstrap-servers", () -> DEAD);
    }

    private final ApplicationContext context;
    private final int port;

    KafkaDown(ApplicationContext context, @LocalServerPort int port) {
      this.context = context;
      this.port = port;
    }

    @Test
    void aFailedPublishKeepsTheRowQueuedAndLaterRequestsGet503() throws Exception {
      EndToEndScenario api = new EndToEndScenario(context, port);
      // no worker can reach this gateway: tell its catalog about the model directly
      context.getBean(ModelCatalog.class).onHeartbeat(new WorkerHeartbeat("w", Instant.now(),
          Duration.ofSeconds(2),
          List.of(new ModelDescriptor("fm-ar", 16, 256, 10, 512, List.of(Strategy.AR), 0)),
          Map.of(), false));
      TenantService tenants = context.getBean(TenantService.class);
      String key = tenants.issueKey(tenants.ensureTenant("kafka-down-" + UUID.randomUUID()), "t")
          .key();
      String body = "{\"model\":\"fm-ar\",\"class_label\":1}";

      HttpResponse<String> first = api.post("/v1/generations", key, "application/json", body);
      assertThat(first.statusCode()).as("accepted: the row is durable " + first.body())
          .isEqualTo(202);
      String id = EndToEndScenario.json(first.body()).get("id").asText();
      // the row survives the failed publish (QUEUED, unless a scheduler sharing this database
      // has already swept it up: see PublishFailureRecoveryTest)
      List<String> states = context.getBean(JdbcClient.class)
          .sql("SELECT state FROM generations WHERE id = :id").param("id", UUID.fromString(id))
          .query(String.class).list();
      assertThat(states).as("the unpublished request is kept").hasSize(1);

      assertUnavailable(api.post("/v1/generations", key, "application/json", body), "kafka");
    }
  }
}
