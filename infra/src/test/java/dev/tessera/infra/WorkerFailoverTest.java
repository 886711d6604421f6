package dev.tessera.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.worker.WorkerApplication;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A worker stopped in the middle of its work. A second worker process (its own Spring context, as
 * {@code WorkerApplication} runs alone) is the only one serving {@code fm-slow}; it is stopped while
 * it decodes the requests. The scheduler re-queues what it held; a replacement worker joins and
 * decodes them. Every accepted request ends SUCCEEDED exactly once, with one row and one usage event.
 */
@TesseraStackTest
class WorkerFailoverTest {

  private static final String MODEL = "fm-slow";

  private final ApplicationContext context;
  private final int port;

  WorkerFailoverTest(ApplicationContext context, @LocalServerPort int port) {
    this.context = context;
    this.port = port;
  }

  @Test
  void requestsOfAWorkerStoppedMidDecodeAreRequeuedAndSucceedExactlyOnceOnItsReplacement()
      throws Exception {
    EndToEndScenario api = new EndToEndScenario(context, port);
    JdbcClient jdbc = context.getBean(JdbcClient.class);
    ConfigurableApplicationContext doomed = worker("doomed-" + UUID.randomUUID());
    ConfigurableApplicationContext replacement = null;
    try {
      api.awaitModel(MODEL);
      String key = api.newTenantKey("failover");
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> accepted = api.post("/v1/generations", key, "application/json",
            "{\"model\":\"" + MODEL + "\",\"class_label\":" + i + ",\"seed\":" + i + "}");
        assertThat(accepted.statusCode()).as("202: " + accepted.body()).isEqualTo(202);
        ids.add(EndToEndScenario.json(accepted.body()).get("id").asText());
      }
      await("all three decoding on the doomed worker").atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> states(jdbc, ids).values().stream().allMatch("RUNNING"::equals));

      doomed.close(); // mid-decode, no drain time: abandons them and says it is leaving

      await("re-queued by the scheduler").atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> states(jdbc, ids).values().stream().allMatch("QUEUED"::equals));
      replacement = worker("replacement-" + UUID.randomUUID());
      await("all succeed on the replacement").atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> states(jdbc, ids).values().stream().allMatch("SUCCEEDED"::equals));

      for (String id : ids) {
        JsonNode view = EndToEndScenario.json(api.get("/v1/generations/" + id, key).body());
        assertThat(view.path("status").asText()).as("API state of " + id).isEqualTo("SUCCEEDED");
        assertThat(jdbc.sql("SELECT worker_id FROM generations WHERE id = :id::uuid")
            .param("id", id).query(String.class).single()).as("decoded by the replacement")
            .startsWith("replacement-");
        assertThat(jdbc.sql("SELECT attempt FROM generations WHERE id = :id::uuid")
            .param("id", id).query(Integer.class).single()).as("second dispatch").isEqualTo(2);
        assertThat(jdbc.sql("SELECT count(*) FROM usage_events WHERE request_id = :id::uuid")
            .param("id", id).query(Long.class).single()).as("one usage event for " + id)
            .isEqualTo(1L);
        assertThat(jdbc.sql("SELECT count(*) FROM generations WHERE id = :id::uuid")
            .param("id", id).query(Long.class).single()).as("one row").isEqualTo(1L);
      }
    } finally {
      doomed.close();
      if (replacement != null) {
        replacement.close();
      }
    }
  }

  private static Map<String, String> states(JdbcClient jdbc, List<String> ids) {
    Map<String, String> states = new java.util.HashMap<>();
    for (String id : ids) {
      states.put(id, jdbc.sql("SELECT state FROM generations WHERE id = :id::uuid")
          .param("id", id).query(String.class).single());
    }
    return states;
  }

  /** A worker process of its own serving fm-slow: random weights, large enough to take a while. */
  private ConfigurableApplicationContext worker(String id) {
    Map<String, Object> properties = new java.util.HashMap<>(
        EmbeddedStack.servers().springProperties());
    properties.put("tessera.worker.id", id);
    properties.put("tessera.worker.models", MODEL);
    properties.put("tessera.worker.models-dir", "target/no-models-here");
    // large enough that three images still decode when the test stops the worker (at dim 128 and
    // 4 layers an idle machine finished them first, now and then, and nothing was left to re-queue)
    properties.put("tessera.worker.random-model.dim", "256");
    properties.put("tessera.worker.random-model.layers", "8");
    properties.put("tessera.worker.random-model.heads", "2");
    properties.put("tessera.worker.max-images", "4");
    properties.put("tessera.worker.high-priority-reserve", "0"); // all three decode at once
    properties.put("tessera.worker.heartbeat-interval", "300ms");
    properties.put("tessera.worker.drain-timeout", "0s"); // a stop abandons what decodes
    properties.put("spring.flyway.enabled", "false");
    return new SpringApplicationBuilder(WorkerApplication.class)
        .web(WebApplicationType.NONE).properties(properties).run();
  }
}
