package dev.tessera.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.Priority;
import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import dev.tessera.gateway.GatewayApplication;
import dev.tessera.gateway.auth.TenantService;
import dev.tessera.gateway.events.EventStreams;
import dev.tessera.gateway.generation.GenerationRepository;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * {@code GET /v1/generations/{id}/events} over HTTP against the whole system: the states of a
 * generation as server-sent events, in order, ending after the terminal one; a finished
 * generation's terminal event (and 204 for a client that has it); cancellation; auth and tenant
 * isolation; and a second gateway instance whose streams follow changes recorded by the first,
 * announced on Redis, with keep-alives and a maximum duration.
 */
@TesseraStackTest
class GenerationEventsTest {

  /** The order of a first attempt's states; a stream may skip some, never go back. */
  private static final List<String> ORDER = List.of("queued", "dispatched", "running", "succeeded");
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final ApplicationContext context;
  private final JdbcClient jdbc;
  private final int port;

  private final EndToEndScenario api;

  GenerationEventsTest(ApplicationContext context, JdbcClient jdbc, @LocalServerPort int port) {
    this.context = context;
    this.jdbc = jdbc;
    this.port = port;
    this.api = new EndToEndScenario(context, port);
  }

  private record Tenant(UUID id, UUID keyId, String key) {}

  @BeforeEach
  void setUp() {
    api.awaitModel("fm-ar");
  }

  @Test
  void aStreamSendsEveryStateInOrderFromQueuedToSucceededAndEnds() throws Exception {
    Tenant t = tenant("sse-order");
    GenerationRequest request = request(t);
    // stored but not yet on Kafka: the stream's first event is certainly QUEUED
    context.getBean(GenerationRepository.class).insertQueued(request);

    try (SseClient sse = SseClient.open(eventsUrl(port, request.id()), t.key(), Map.of())) {
      assertThat(sse.status()).as("status").isEqualTo(200);
      assertThat(sse.header("Content-Type")).as("content type").startsWith("text/event-stream");
      SseClient.Event first = sse.next(WAIT);
      assertThat(first).as("the current state at once").isNotNull();
      assertThat(first.name()).as("first event").isEqualTo("queued");
      assertThat(first.id()).as("event id: state and attempt").isEqualTo("queued-0");
      JsonNode firstView = EndToEndScenario.json(first.data());
      assertThat(firstView.path("id").asText()).as("data is the generation's view")
          .isEqualTo(request.id());
      assertThat(firstView.path("status").asText()).as("view status").isEqualTo("QUEUED");

      api.publishRequest(request);
      List<SseClient.Event> rest = sse.untilEnd(WAIT);
      assertThat(rest).as("events after queued").isNotEmpty();
      int previous = 0;
      for (SseClient.Event e : rest) {
        int rank = ORDER.indexOf(e.name());
        assertThat(rank).as("state " + e.name() + " after " + ORDER.get(previous) + " in " + rest)
            .isGreaterThan(previous);
        assertThat(EndToEndScenario.json(e.data()).path("status").asText().toLowerCase())
            .as("event name is the view's status").isEqualTo(e.name());
        previous = rank;
      }
      SseClient.Event last = rest.get(rest.size() - 1);
      assertThat(last.name()).as("the last event").isEqualTo("succeeded");
      assertThat(last.id()).as("its id").isEqualTo("succeeded-1");
      assertThat(EndToEndScenario.json(last.data()))
          .as("the terminal event holds what GET answers")
          .isEqualTo(EndToEndScenario.json(api.get("/v1/generations/" + request.id(), t.key())
              .body()));
    }
    awaitNoOpenStreams();
  }

  @Test
  void afterTheEndAStreamGivesTheTerminalEventAndClosesAndAClientThatHasItGets204()
      throws Exception {
    Tenant t = tenant("sse-finished");
    HttpResponse<String> accepted = api.post("/v1/generations", t.key(), "application/json",
        "{\"model\":\"fm-ar\",\"class_label\":4}");
    assertThat(accepted.statusCode()).as("accepted: " + accepted.body()).isEqualTo(202);
    String id = EndToEndScenario.json(accepted.body()).path("id").asText();
    await("succeeded").atMost(WAIT).pollInterval(Duration.ofMillis(200))
        .until(() -> status(id, t.key()).equals("SUCCEEDED"));

    List<SseClient.Event> events;
    try (SseClient sse = SseClient.open(eventsUrl(port, id), t.key(), Map.of())) {
      assertThat(sse.status()).as("status").isEqualTo(200);
      events = sse.untilEnd(WAIT);
    }
    assertThat(events).as("one event, the terminal state").hasSize(1);
    assertThat(events.get(0).name()).as("event name").isEqualTo("succeeded");
    assertThat(EndToEndScenario.json(events.get(0).data()).path("links").path("image").asText())
        .as("the view links the image").isEqualTo("/v1/generations/" + id + "/image.png");

    try (SseClient again = SseClient.open(eventsUrl(port, id), t.key(),
        Map.of("Last-Event-ID", events.get(0).id()))) {
      assertThat(again.status()).as("a reconnect that has the terminal event: stop reconnecting")
          .isEqualTo(204);
    }
    try (SseClient other = SseClient.open(eventsUrl(port, id), t.key(),
        Map.of("Last-Event-ID", "running-1"))) {
      assertThat(other.status()).as("a reconnect that missed the end").isEqualTo(200);
      assertThat(other.untilEnd(WAIT)).as("it gets the terminal event")
          .extracting(SseClient.Event::name).containsExactly("succeeded");
    }
  }

  @Test
  void anotherTenantsOrAnUnknownIdIs404AndAMissingOrWrongKeyIs401() throws Exception {
    Tenant owner = tenant("sse-owner");
    Tenant other = tenant("sse-other");
    GenerationRequest request = request(owner);
    context.getBean(GenerationRepository.class).insertQueued(request);
    String url = eventsUrl(port, request.id());

    try (SseClient r = SseClient.open(url, other.key(), Map.of())) {
      assertProblem(r, 404, "not-found", "another tenant's generation");
    }
    try (SseClient r = SseClient.open(eventsUrl(port, UUID.randomUUID().toString()), owner.key(),
        Map.of())) {
      assertProblem(r, 404, "not-found", "an unknown id");
    }
    try (SseClient r = SseClient.open(eventsUrl(port, "not-an-id"), owner.key(), Map.of())) {
      assertProblem(r, 404, "not-found", "a malformed id");
    }
    try (SseClient r = SseClient.open(url, null, Map.of())) {
      assertProblem(r, 401, "unauthorized", "no key");
    }
    try (SseClient r = SseClient.open(url, "tsk_AAAAAAAAAAAA_" + "B".repeat(40), Map.of())) {
      assertProblem(r, 401, "unauthorized", "an unknown key");
    }
    // the owner's stream works; cancel so nothing is left running
    try (SseClient sse = SseClient.open(url, owner.key(), Map.of())) {
      assertThat(sse.status()).as("the owner's stream").isEqualTo(200);
      assertThat(api.cancel(request.id(), owner.key()).statusCode()).as("cancel").isEqualTo(200);
      assertThat(sse.untilEnd(WAIT)).extracting(SseClient.Event::name).as("events")
          .endsWith("cancelled");
    }
  }

  @Test
  void cancellingAQueuedGenerationSendsCancelledAndEndsTheStream() throws Exception {
    Tenant t = tenant("sse-cancel-queued");
    GenerationRequest request = request(t);
    context.getBean(GenerationRepository.class).insertQueued(request);

    try (SseClient sse = SseClient.open(eventsUrl(port, request.id()), t.key(), Map.of())) {
      assertThat(sse.next(WAIT)).as("first event").extracting(SseClient.Event::name)
          .isEqualTo("queued");
      HttpResponse<String> cancelled = api.cancel(request.id(), t.key());
      assertThat(cancelled.statusCode()).as("cancel: " + cancelled.body()).isEqualTo(200);
      List<SseClient.Event> rest = sse.untilEnd(WAIT);
      assertThat(rest).as("the cancellation is the last event").isNotEmpty();
      SseClient.Event last = rest.get(rest.size() - 1);
      assertThat(last.name()).as("last event").isEqualTo("cancelled");
      assertThat(EndToEndScenario.json(last.data()).path("status").asText()).as("its view")
          .isEqualTo("CANCELLED");
    }
    awaitNoOpenStreams();
  }

  @Test
  void cancellingADispatchedGenerationSendsCancelled() throws Exception {
    Tenant t = tenant("sse-cancel-dispatched");
    MessageListenerContainer recorder = context.getBean(KafkaListenerEndpointRegistry.class)
        .getListenerContainer("tessera-result-recorder");
    String id;
    recorder.stop(); // the worker's results wait on Kafka: the row stays DISPATCHED
    try {
      HttpResponse<String> accepted = api.post("/v1/generations", t.key(), "application/json",
          "{\"model\":\"fm-ar\",\"class_label\":6}");
      assertThat(accepted.statusCode()).as("accepted: " + accepted.body()).isEqualTo(202);
      id = EndToEndScenario.json(accepted.body()).path("id").asText();
      await("dispatched").atMost(WAIT).pollInterval(Duration.ofMillis(100))
          .until(() -> status(id, t.key()).equals("DISPATCHED"));

      try (SseClient sse = SseClient.open(eventsUrl(port, id), t.key(), Map.of())) {
        SseClient.Event first = sse.next(WAIT);
        assertThat(first).as("first event").isNotNull();
        assertThat(first.name()).as("first event").isEqualTo("dispatched");
        assertThat(first.id()).as("first attempt").isEqualTo("dispatched-1");
        HttpResponse<String> cancelled = api.cancel(id, t.key());
        assertThat(cancelled.statusCode()).as("cancel: " + cancelled.body()).isEqualTo(200);
        assertThat(sse.untilEnd(WAIT)).extracting(SseClient.Event::name).as("then")
            .containsExactly("cancelled");
      }
    } finally {
      recorder.start();
    }
    assertThat(status(id, t.key())).as("the worker's late results change nothing")
        .isEqualTo("CANCELLED");
  }

  @Test
  void aSecondGatewaysStreamsFollowChangesAnnouncedOnRedisKeepAliveAndEndAtTheirMaxDuration()
      throws Exception {
    Tenant t = tenant("sse-second-gateway");
    GenerationRequest cancelLater = parkedRequest(t);
    GenerationRequest leftAlone = parkedRequest(t);
    Map<String, Object> properties = new HashMap<>(EmbeddedStack.servers().springProperties());
    properties.putAll(Map.of(
        "server.port", "0",
        "spring.flyway.enabled", "false",
        "tessera.gateway.recorder-enabled", "false",
        // it never polls PostgreSQL: what it streams after the first event came over Redis
        "tessera.gateway.events-poll-interval", "1h",
        "tessera.gateway.events-keep-alive", "200ms",
        "tessera.gateway.events-timeout", "3s"));
    try (ConfigurableApplicationContext second = new SpringApplicationBuilder(
        GatewayApplication.class).properties(properties).run()) {
      int secondPort = ((WebServerApplicationContext) second).getWebServer().getPort();

      try (SseClient followed = SseClient.open(eventsUrl(secondPort, cancelLater.id()), t.key(),
              Map.of());
          SseClient idle = SseClient.open(eventsUrl(secondPort, leftAlone.id()), t.key(),
              Map.of())) {
        assertThat(followed.next(WAIT)).as("first event on the second gateway").isNotNull()
            .extracting(SseClient.Event::id).isEqualTo("retrying-1");
        assertThat(idle.next(WAIT)).as("first event of the idle stream").isNotNull()
            .extracting(SseClient.Event::name).isEqualTo("retrying");

        // cancelled through the first gateway, whose recorder announces it
        assertThat(api.cancel(cancelLater.id(), t.key()).statusCode()).as("cancel on the first")
            .isEqualTo(200);
        List<SseClient.Event> rest = followed.untilEnd(Duration.ofSeconds(2));
        assertThat(rest).extracting(SseClient.Event::name).as("the second gateway streams it")
            .containsExactly("cancelled");

        List<SseClient.Event> idleRest = idle.untilEnd(Duration.ofSeconds(30));
        assertThat(idleRest).as("nothing happened to it").isEmpty();
        assertThat(idle.comments()).as("keep-alive comments while idle").isGreaterThanOrEqualTo(2);
      }
      EventStreams secondStreams = second.getBean(EventStreams.class);
      await("the second gateway forgets ended streams").atMost(Duration.ofSeconds(10))
          .until(() -> secondStreams.size() == 0);

      // a stream open when its gateway stops is ended, not left hanging
      try (SseClient open = SseClient.open(eventsUrl(secondPort, leftAlone.id()), t.key(),
          Map.of())) {
        assertThat(open.next(WAIT)).as("first event").isNotNull();
        second.close();
        open.untilEnd(Duration.ofSeconds(10));
      }
    } finally {
      api.cancel(leftAlone.id(), t.key());
    }
  }

  // ---------------------------------------------------------------- helpers

  private static String eventsUrl(int port, String id) {
    return "http://localhost:" + port + "/v1/generations/" + id + "/events";
  }

  private static void assertProblem(SseClient r, int status, String type, String what)
      throws Exception {
    assertThat(r.status()).as(what).isEqualTo(status);
    assertThat(r.header("Content-Type")).as(what + ": content type")
        .startsWith("application/problem+json");
    JsonNode problem = EndToEndScenario.json(r.body(Duration.ofSeconds(10)));
    assertThat(problem.path("type").asText()).as(what + ": problem type")
        .isEqualTo("https://tessera.dev/problems/" + type);
    assertThat(problem.path("status").asInt()).as(what + ": problem status").isEqualTo(status);
  }

  private Tenant tenant(String name) {
    TenantService tenants = context.getBean(TenantService.class);
    UUID tenant = tenants.ensureTenant(name + "-" + UUID.randomUUID());
    TenantService.IssuedKey key = tenants.issueKey(tenant, "test");
    return new Tenant(tenant, key.keyId(), key.key());
  }

  private static GenerationRequest request(Tenant t) {
    return new GenerationRequest(UUID.randomUUID().toString(), t.id().toString(),
        t.keyId().toString(), "fm-ar", 2, Strategy.AR, 17L, SamplingParams.DEFAULT,
        StrategyParams.DEFAULT, Priority.NORMAL, null, 0,
        Instant.now().truncatedTo(ChronoUnit.MICROS));
  }

  /** A generation RETRYING with its next attempt an hour away: nothing changes it by itself. */
  private GenerationRequest parkedRequest(Tenant t) {
    GenerationRequest request = request(t);
    context.getBean(GenerationRepository.class).insertQueued(request);
    jdbc.sql("""
            UPDATE generations SET state = 'RETRYING', attempt = 1, retrying_at = now(),
                retry_at = now() + interval '1 hour', error_code = 'decode_error'
            WHERE id = :id""").param("id", UUID.fromString(request.id())).update();
    return request;
  }

  private String status(String id, String key) throws Exception {
    return EndToEndScenario.json(api.get("/v1/generations/" + id, key).body()).path("status")
        .asText();
  }

  private void awaitNoOpenStreams() {
    EventStreams streams = context.getBean(EventStreams.class);
    await("ended streams are forgotten").atMost(Duration.ofSeconds(10))
        .until(() -> streams.size() == 0);
  }
}
