package dev.tessera.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.gateway.auth.TenantService;
import dev.tessera.gateway.generation.ResultCache;
import dev.tessera.infra.local.EmbeddedServers.Server;
import dev.tessera.infra.local.EmbeddedServers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Each backing server really taken away (stopped) while requests come in, then started again on its
 * port with its data: the gateway answers fast (202 when it can accept durably, 503 with Retry-After
 * otherwise; never a 5xx other than 503, never a hang), and after the restart every accepted request
 * reaches SUCCEEDED with no manual step and is billed once.
 */
@TesseraStackTest
class OutageTest {

  private static final Logger log = LoggerFactory.getLogger(OutageTest.class);
  /** An answer slower than this is a hang; the target is under a second (README: outages). */
  private static final Duration HANG = Duration.ofSeconds(2);
  private static final String BODY = "{\"model\":\"fm-ar\",\"class_label\":4}";

  private final EndToEndScenario api;
  private final JdbcClient jdbc;
  private final RedissonClient redis;
  private final ResultCache cache;
  private final TenantService tenants;
  private final EmbeddedServers servers = EmbeddedStack.servers();

  OutageTest(ApplicationContext context, @LocalServerPort int port) {
    this.api = new EndToEndScenario(context, port);
    this.jdbc = context.getBean(JdbcClient.class);
    this.redis = context.getBean(RedissonClient.class);
    this.cache = context.getBean(ResultCache.class);
    this.tenants = context.getBean(TenantService.class);
  }

  @BeforeEach
  void modelIsServed() {
    api.awaitModel("fm-ar");
  }

  @AfterEach
  void everyServerRuns() {
    for (Server server : Server.values()) {
      servers.start(server); // no-op unless a failed test left it stopped
    }
  }

  @Test
  void kafkaDownAcceptsDurablyOrAnswers503AndEverythingAcceptedSucceedsAfterwards()
      throws Exception {
    String key = limitedTenantKey("kafka-outage");
    List<String> accepted = new ArrayList<>();
    servers.stop(Server.KAFKA);
    assertThat(servers.running(Server.KAFKA)).as("Kafka is down").isFalse();
    Answers answers = submitDuringOutage(key, accepted, "kafka", 8);
    for (String id : accepted) {
      assertThat(api.get("/v1/generations/" + id, key).statusCode())
          .as("GET " + id + " from PostgreSQL while Kafka is down").isEqualTo(200);
    }
    servers.start(Server.KAFKA);
    log.info("kafka outage: {}", answers);
    awaitAllSucceededOnce(key, accepted);
  }

  @Test
  void postgresqlDownAnswers503FastAndWorkInFlightFinishesAfterwards() throws Exception {
    String key = limitedTenantKey("postgresql-outage");
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < 3; i++) { // in flight when the database goes away
      HttpResponse<String> response = api.post("/v1/generations", key, "application/json", BODY);
      assertThat(response.statusCode()).as("before the outage: " + response.body()).isEqualTo(202);
      accepted.add(EndToEndScenario.json(response.body()).path("id").asText());
    }
    servers.stop(Server.POSTGRESQL);
    assertThat(servers.running(Server.POSTGRESQL)).as("PostgreSQL is down").isFalse();
    Answers answers = submitDuringOutage(key, accepted, "postgresql", 6);
    assertThat(answers.accepted()).as("nothing is accepted without the database").isZero();
    long started = System.nanoTime();
    HttpResponse<String> get = api.get("/v1/generations/" + accepted.get(0), key);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("GET answers fast")
        .isLessThan(HANG);
    BackendDownTest.assertUnavailable(get, "postgresql");
    servers.start(Server.POSTGRESQL);
    log.info("postgresql outage: {}", answers);
    awaitAllSucceededOnce(key, accepted);
  }

  @Test
  void redisDownLetsLimitsFailOpenReadsFallBackAndTheCacheSurvivesTheRestart() throws Exception {
    String key = limitedTenantKey("redis-outage");
    HttpResponse<String> first = api.post("/v1/generations", key, "application/json", BODY);
    String cached = EndToEndScenario.json(first.body()).path("id").asText();
    awaitAllSucceededOnce(key, List.of(cached));
    assertThat(redis.getBucket(cache.key(UUID.fromString(cached)), StringCodec.INSTANCE).isExists())
        .as("finished generation cached in Redis").isTrue();

    List<String> accepted = new ArrayList<>();
    servers.stop(Server.REDIS);
    assertThat(servers.running(Server.REDIS)).as("Redis is down").isFalse();
    Answers answers = submitDuringOutage(key, accepted, "redis", 6);
    assertThat(answers.unavailable()).as("limits fail open: no 503 for Redis").isZero();
    long started = System.nanoTime();
    HttpResponse<String> get = api.get("/v1/generations/" + cached, key);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("GET answers fast")
        .isLessThan(HANG);
    assertThat(get.statusCode()).as("GET from PostgreSQL while Redis is down").isEqualTo(200);
    servers.start(Server.REDIS);
    log.info("redis outage: {}", answers);
    await("Redis came back with its data").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
        .until(() -> redis.getBucket(cache.key(UUID.fromString(cached)), StringCodec.INSTANCE)
            .isExists());
    awaitAllSucceededOnce(key, accepted);
  }

  /** What the gateway answered during an outage, and how long each answer took. */
  record Answers(int accepted, int unavailable, List<Long> millis) {}

  /**
   * POSTs {@code n} requests while a server is down: each is 202 (its id added to {@code
   * accepted}) or a 503 problem naming the server, and none hangs.
   */
  private Answers submitDuringOutage(String key, List<String> accepted, String service, int n)
      throws Exception {
    int ok = 0;
    int unavailable = 0;
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long started = System.nanoTime();
      HttpResponse<String> response = api.post("/v1/generations", key, "application/json", BODY);
      long ms = (System.nanoTime() - started) / 1_000_000;
      millis.add(ms);
      assertThat(Duration.ofMillis(ms)).as("POST " + i + " answers without hanging")
          .isLessThan(HANG);
      if (response.statusCode() == 202) {
        ok++;
        accepted.add(EndToEndScenario.json(response.body()).path("id").asText());
      } else {
        BackendDownTest.assertUnavailable(response, service);
        unavailable++;
      }
    }
    return new Answers(ok, unavailable, millis);
  }

  private void awaitAllSucceededOnce(String key, List<String> ids) {
    await("accepted requests succeed").atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> {
          for (String id : ids) {
            JsonNode view = EndToEndScenario.json(api.get("/v1/generations/" + id, key).body());
            assertThat(view.path("status").asText()).as("status of " + id).isEqualTo("SUCCEEDED");
          }
        });
    for (String id : ids) {
      assertThat(api.usageEvents(UUID.fromString(id))).as("billed once: " + id).isEqualTo(1);
    }
    // and the system takes new work again
    await("a new request is accepted").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> api.post("/v1/generations", key, "application/json", BODY).statusCode() == 202);
  }

  /** A tenant with every limit set, so that its submissions use Redis. */
  private String limitedTenantKey(String name) {
    UUID tenant = tenants.createTenant(new TenantService.NewTenant(name + "-" + UUID.randomUUID(),
        1.0, 1000.0, 50, 1_000_000L)).orElseThrow().id();
    return tenants.issueKey(tenant, "outage").key();
  }
}
