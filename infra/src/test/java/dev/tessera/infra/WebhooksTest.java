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
import dev.tessera.gateway.generation.GenerationRepository;
import dev.tessera.gateway.webhook.WebhookDispatcher;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Webhooks against the whole system and a receiver on loopback: a generation's webhook_url gets
 * one signed message when it succeeds (verified here by an implementation of the Standard
 * Webhooks signature independent of the gateway's; a changed body fails it), only the events
 * asked for, a registered endpoint's failures are retried with growing waits under one
 * webhook-id, every attempt is recorded and shown on the generation, and a message written while
 * no gateway delivers is delivered by a gateway started later (the outbox is in PostgreSQL).
 */
@TesseraStackTest
class WebhooksTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private final ApplicationContext context;
  private final JdbcClient jdbc;
  private final EndToEndScenario api;
  private final WebhookReceiver receiver;

  WebhooksTest(ApplicationContext context, JdbcClient jdbc, @LocalServerPort int port)
      throws Exception {
    this.context = context;
    this.jdbc = jdbc;
    this.api = new EndToEndScenario(context, port);
    this.receiver = new WebhookReceiver();
  }

  @AfterEach
  void tearDown() {
    receiver.close();
  }

  private record Tenant(UUID id, UUID keyId, String key) {}

  private Tenant tenant(String name) {
    TenantService tenants = context.getBean(TenantService.class);
    UUID tenant = tenants.ensureTenant(name + "-" + UUID.randomUUID());
    TenantService.IssuedKey key = tenants.issueKey(tenant, "test");
    return new Tenant(tenant, key.keyId(), key.key());
  }

  /** An independent check of a Standard Webhooks signature header. */
  static boolean verifies(String secret, String msgId, String timestamp, String body,
      String signatureHeader) throws Exception {
    byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    byte[] expected = mac.doFinal((msgId + "." + timestamp + "." + body)
        .getBytes(StandardCharsets.UTF_8));
    for (String signature : signatureHeader.split(" ")) {
      String[] parts = signature.split(",", 2);
      if (parts.length == 2 && parts[0].equals("v1")
          && MessageDigest.isEqual(Base64.getDecoder().decode(parts[1]), expected)) {
        return true;
      }
    }
    return false;
  }

  private static void assertSigned(WebhookReceiver.Received r, String secret) throws Exception {
    String id = r.header("webhook-id");
    String ts = r.header("webhook-timestamp");
    assertThat(id).as("webhook-id").startsWith("msg_");
    assertThat(Math.abs(Long.parseLong(ts) - Instant.now().getEpochSecond()))
        .as("webhook-timestamp is the attempt's time").isLessThan(300);
    assertThat(verifies(secret, id, ts, r.body(), r.header("webhook-signature")))
        .as("signature verifies").isTrue();
    assertThat(verifies(secret, id, ts, r.body().replace("\"status\"", "\"Status\""),
        r.header("webhook-signature"))).as("a changed body does not").isFalse();
    assertThat(verifies(secret, id, Long.toString(Long.parseLong(ts) + 1), r.body(),
        r.header("webhook-signature"))).as("nor a changed timestamp").isFalse();
  }

  private JsonNode deliveries(String id, String key) throws Exception {
    HttpResponse<String> response = api.get("/v1/generations/" + id + "/webhooks", key);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return EndToEndScenario.json(response.body()).path("data");
  }

  private String submit(String key, String body) throws Exception {
    HttpResponse<String> r = api.post("/v1/generations", key, "application/json", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return EndToEndScenario.json(r.body()).path("id").asText();
  }

  private String status(String id, String key) throws Exception {
    return EndToEndScenario.json(api.get("/v1/generations/" + id, key).body()).path("status")
        .asText();
  }

  /** A generation RETRYING with its next attempt an hour away: it ends only when cancelled. */
  private String parked(Tenant t) {
    GenerationRequest r = new GenerationRequest(UUID.randomUUID().toString(), t.id().toString(),
        t.keyId().toString(), "fm-ar", 2, Strategy.AR, 17L, SamplingParams.DEFAULT,
        StrategyParams.DEFAULT, Priority.NORMAL, null, 0,
        Instant.now().truncatedTo(ChronoUnit.MICROS));
    context.getBean(GenerationRepository.class).insertQueued(r);
    jdbc.sql("""
            UPDATE generations SET state = 'RETRYING', attempt = 1, retrying_at = now(),
                retry_at = now() + interval '1 hour', error_code = 'decode_error'
            WHERE id = :id""").param("id", UUID.fromString(r.id())).update();
    return r.id();
  }

  @Test
  void aSucceededGenerationSendsOneSignedMessageToItsWebhookUrl() throws Exception {
    api.awaitModel("fm-ar");
    Tenant t = tenant("webhook-ok");
    String id = submit(t.key(), "{\"model\":\"fm-ar\",\"class_label\":4,\"webhook_url\":\""
        + receiver.url("/ok") + "\"}");
    String notAsked = submit(t.key(), "{\"model\":\"fm-ar\",\"class_label\":4,\"webhook_url\":\""
        + receiver.url("/failures-only") + "\",\"webhook_events\":[\"generation.failed\"]}");

    await("the message").atMost(WAIT).until(() -> receiver.received("/ok").size() == 1);
    WebhookReceiver.Received message = receiver.received("/ok").get(0);
    String secret = EndToEndScenario.json(api.get("/v1/webhooks/secret", t.key()).body())
        .path("secret").asText();
    assertThat(secret).startsWith("whsec_");
    assertSigned(message, secret);
    assertThat(message.header("content-type")).isEqualTo("application/json");
    JsonNode body = EndToEndScenario.json(message.body());
    assertThat(body.path("type").asText()).isEqualTo("generation.succeeded");
    assertThat(body.path("data").path("id").asText()).isEqualTo(id);
    assertThat(body.path("data").path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(body.path("data").path("links").path("image").asText()).endsWith("/image.png");

    await("the delivery is recorded").atMost(WAIT)
        .until(() -> deliveries(id, t.key()).path(0).path("status").asText().equals("succeeded"));
    JsonNode delivery = deliveries(id, t.key()).get(0);
    assertThat(delivery.path("id").asText()).isEqualTo(message.header("webhook-id"));
    assertThat(delivery.path("event_type").asText()).isEqualTo("generation.succeeded");
    assertThat(delivery.path("attempts").asInt()).isEqualTo(1);
    assertThat(delivery.path("last_status_code").asInt()).isEqualTo(200);
    assertThat(delivery.path("attempt_log").get(0).path("latency_ms").isIntegralNumber()).isTrue();

    await().atMost(WAIT).until(() -> status(notAsked, t.key()).equals("SUCCEEDED"));
    assertThat(deliveries(notAsked, t.key())).as("only the events asked for").isEmpty();
    Tenant other = tenant("webhook-other");
    assertThat(api.get("/v1/generations/" + id + "/webhooks", other.key()).statusCode())
        .as("another tenant's generation").isEqualTo(404);
    assertThat(receiver.received("/failures-only")).isEmpty();
  }

  @Test
  void aFailingEndpointIsRetriedWithGrowingWaitsUnderOneIdUntilItAnswers() throws Exception {
    Tenant t = tenant("webhook-retry");
    receiver.answer("/flaky", 500, 503);
    HttpResponse<String> created = api.post("/admin/tenants/" + t.id() + "/webhooks",
        TesseraStackTest.ADMIN_TOKEN, "application/json", "{\"url\":\"" + receiver.url("/flaky")
            + "\",\"events\":[\"generation.cancelled\"],\"description\":\"ops\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String secret = EndToEndScenario.json(created.body()).path("secret").asText();
    assertThat(api.post("/admin/tenants/" + t.id() + "/webhooks", TesseraStackTest.ADMIN_TOKEN,
        "application/json", "{\"url\":\"ftp://x\"}").statusCode()).as("bad url").isEqualTo(400);

    String id = parked(t);
    assertThat(api.cancel(id, t.key()).statusCode()).isEqualTo(200);

    await("three attempts").atMost(WAIT).until(() -> receiver.received("/flaky").size() >= 3);
    List<WebhookReceiver.Received> attempts = receiver.received("/flaky");
    assertThat(attempts).hasSize(3);
    assertThat(attempts).extracting(r -> r.header("webhook-id")).as("one id on every attempt")
        .containsOnly(attempts.get(0).header("webhook-id"));
    for (WebhookReceiver.Received r : attempts) {
      assertSigned(r, secret);
      assertThat(EndToEndScenario.json(r.body()).path("type").asText())
          .isEqualTo("generation.cancelled");
    }
    long firstWait = attempts.get(1).receivedNanos() - attempts.get(0).receivedNanos();
    long secondWait = attempts.get(2).receivedNanos() - attempts.get(1).receivedNanos();
    assertThat(firstWait).as("backoff 200 ms").isGreaterThanOrEqualTo(200_000_000L);
    assertThat(secondWait).as("then 400 ms").isGreaterThanOrEqualTo(400_000_000L);

    await("recorded").atMost(WAIT)
        .until(() -> deliveries(id, t.key()).path(0).path("status").asText().equals("succeeded"));
    JsonNode delivery = deliveries(id, t.key()).get(0);
    assertThat(delivery.path("attempts").asInt()).isEqualTo(3);
    assertThat(delivery.path("attempt_log").findValuesAsText("status_code"))
        .containsExactly("500", "503", "200");
    assertThat(delivery.path("endpoint_id").asText())
        .isEqualTo(EndToEndScenario.json(created.body()).path("id").asText());
  }

  @Test
  void aMessageWrittenWhileNoGatewayDeliversIsDeliveredByAGatewayStartedLater() throws Exception {
    Tenant t = tenant("webhook-restart");
    WebhookDispatcher dispatcher = context.getBean(WebhookDispatcher.class);
    dispatcher.stop(); // the only gateway that delivers goes away
    try {
      String id = parked(t);
      jdbc.sql("INSERT INTO generation_webhooks (generation_id, url, events) VALUES (:id, :url, "
              + "ARRAY['generation.cancelled'])")
          .param("id", UUID.fromString(id)).param("url", receiver.url("/restart")).update();
      assertThat(api.cancel(id, t.key()).statusCode()).isEqualTo(200);
      JsonNode pending = deliveries(id, t.key());
      assertThat(pending).as("in the outbox").hasSize(1);
      assertThat(pending.get(0).path("status").asText()).isEqualTo("pending");
      assertThat(pending.get(0).path("attempts").asInt()).isZero();

      Map<String, Object> properties = new HashMap<>(EmbeddedStack.servers().springProperties());
      properties.putAll(Map.of("server.port", "0", "spring.flyway.enabled", "false",
          "tessera.gateway.recorder-enabled", "false",
          "tessera.gateway.webhooks.allow-private-targets", "true",
          "tessera.gateway.webhooks.poll-interval", "100ms"));
      try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(
          GatewayApplication.class).properties(properties).run()) {
        await("delivered by the new gateway").atMost(WAIT)
            .until(() -> receiver.received("/restart").size() == 1);
        await().atMost(WAIT).until(() -> deliveries(id, t.key()).path(0).path("status").asText()
            .equals("succeeded"));
        assertThat(restarted.getBean(WebhookDispatcher.class).isRunning()).isTrue();
      }
      String secret = EndToEndScenario.json(api.get("/v1/webhooks/secret", t.key()).body())
          .path("secret").asText();
      assertSigned(receiver.received("/restart").get(0), secret);
      assertThat(receiver.received("/restart")).as("once").hasSize(1);
    } finally {
      dispatcher.start();
    }
  }
}
