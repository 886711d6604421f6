package dev.tessera.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tessera.scheduler.SchedulerApplication;
import dev.tessera.scheduler.dispatch.DispatchLoop;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import dev.tessera.scheduler.lease.DispatchLease;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * A scheduler that dies with requests in its queue. The test context's scheduler consumes the
 * requests (their Kafka offsets are committed) but never dispatches them; then it stops for good, as
 * if it crashed, and a new scheduler process starts. The new one rebuilds its queue from PostgreSQL,
 * and every request succeeds, once.
 */
@TesseraStackTest
class SchedulerRestartTest {

  private final ApplicationContext context;
  private final int port;

  SchedulerRestartTest(ApplicationContext context, @LocalServerPort int port) {
    this.context = context;
    this.port = port;
  }

  @Test
  void aNewSchedulerRebuildsTheQueueOfADeadOneFromPostgresqlAndNothingIsLost() throws Exception {
    EndToEndScenario api = new EndToEndScenario(context, port);
    JdbcClient jdbc = context.getBean(JdbcClient.class);
    DispatchLoop oldLoop = context.getBean(DispatchLoop.class);
    DispatchLease oldLease = context.getBean(DispatchLease.class);
    List<MessageListenerContainer> oldListeners = context
        .getBean(KafkaListenerEndpointRegistry.class).getListenerContainers().stream()
        .filter(c -> c.getListenerId() != null && c.getListenerId().startsWith("tessera-scheduler-"))
        .toList();
    api.awaitModel("fm-ar");
    String key = api.newTenantKey("restart");
    ConfigurableApplicationContext fresh = null;
    oldLoop.stop();
    try {
      int before = oldLoop.pending();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        HttpResponse<String> accepted = api.post("/v1/generations", key, "application/json",
            "{\"model\":\"fm-ar\",\"class_label\":" + i + ",\"seed\":" + (100 + i) + "}");
        assertThat(accepted.statusCode()).as("202: " + accepted.body()).isEqualTo(202);
        ids.add(EndToEndScenario.json(accepted.body()).get("id").asText());
      }
      await("the old scheduler holds them in memory only").atMost(Duration.ofSeconds(30))
          .until(() -> oldLoop.pending() >= before + 4);
      oldListeners.forEach(MessageListenerContainer::stop); // the old scheduler is dead
      oldLease.stop(); // and its lease is free
      assertThat(states(jdbc, ids).values()).as("nobody dispatched them").containsOnly("QUEUED");

      fresh = scheduler();

      await("all succeed after the new scheduler rebuilt its queue")
          .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
          .until(() -> states(jdbc, ids).values().stream().allMatch("SUCCEEDED"::equals));
      for (String id : ids) {
        assertThat(jdbc.sql("SELECT attempt FROM generations WHERE id = :id::uuid")
            .param("id", id).query(Integer.class).single()).as("dispatched once").isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM usage_events WHERE request_id = :id::uuid")
            .param("id", id).query(Long.class).single()).as("one usage event").isEqualTo(1L);
      }
    } finally {
      if (fresh != null) {
        fresh.close();
      }
      oldListeners.forEach(MessageListenerContainer::start);
      oldLease.start();
      oldLoop.start();
    }
  }

  private static Map<String, String> states(JdbcClient jdbc, List<String> ids) {
    Map<String, String> states = new HashMap<>();
    for (String id : ids) {
      states.put(id, jdbc.sql("SELECT state FROM generations WHERE id = :id::uuid")
          .param("id", id).query(String.class).single());
    }
    return states;
  }

  private ConfigurableApplicationContext scheduler() {
    Map<String, Object> properties = new HashMap<>(EmbeddedStack.servers().springProperties());
    properties.put("tessera.scheduler.max-batch-wait", "20ms");
    properties.put("spring.flyway.enabled", "false");
    return new SpringApplicationBuilder(SchedulerApplication.class)
        .web(WebApplicationType.NONE).properties(properties).run();
  }
}
