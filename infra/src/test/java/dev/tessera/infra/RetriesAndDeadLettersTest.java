package dev.tessera.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.contract.DeadLetter;
import dev.tessera.contract.Failure;
import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.GenerationResult;
import dev.tessera.contract.GenerationState;
import dev.tessera.contract.Json;
import dev.tessera.contract.Priority;
import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import dev.tessera.contract.Topics;
import dev.tessera.gateway.RedisProperties;
import dev.tessera.gateway.auth.TenantService;
import dev.tessera.gateway.generation.GenerationRepository;
import dev.tessera.scheduler.dispatch.DispatchLoop;
import dev.tessera.worker.WorkerApplication;
import dev.tessera.worker.engine.ModelSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Retries, dead letters and their replay through the whole system. A worker process of its own (the
 * only one serving {@code fm-poison}) runs {@link PoisonModels}: a decode step fails while a request
 * with seed 666 is in it. The test context retries with a 250 ms base backoff and 3 attempts.
 */
@TesseraStackTest
class RetriesAndDeadLettersTest {

  private static final String POISON_MODEL = "fm-poison";
  private static final int MAX_ATTEMPTS = 3;
  private static final Duration BACKOFF = Duration.ofMillis(250);
  private static final AtomicBoolean CURED = new AtomicBoolean();
  private static ConfigurableApplicationContext poisonWorker;

  private final ApplicationContext context;
  private final JdbcClient jdbc;
  private final int port;

  private final HttpClient http = HttpClient.newHttpClient();
  private final EndToEndScenario api;

  RetriesAndDeadLettersTest(ApplicationContext context, JdbcClient jdbc, @LocalServerPort int port) {
    this.context = context;
    this.jdbc = jdbc;
    this.port = port;
    this.api = new EndToEndScenario(context, port);
  }


  @AfterAll
  static void stopPoisonWorker() {
    if (poisonWorker != null) {
      poisonWorker.close();
    }
  }

  @Test
  void aPoisonRequestIsRetriedThenDeadLetteredItsBatchMatesSucceedOnceAndReplaysGiveItNewLives()
      throws Exception {
    startPoisonWorker();
    api.awaitModel(POISON_MODEL);
    CURED.set(false);
    JsonNode tenant = json(admin("POST", "/admin/tenants",
        "{\"name\":\"poison-" + UUID.randomUUID() + "\",\"max_in_flight\":50,"
            + "\"monthly_images\":1000}"), 201);
    String tenantId = tenant.path("id").asText();
    String key = json(admin("POST", "/admin/tenants/" + tenantId + "/keys", null), 201)
        .path("key").asText();

    double retriesBefore = counter("tessera_request_retries_total");
    double deadLettersBefore = counter("tessera_dead_letters_total");

    // hold the dispatch while the three arrive, so that they go in one batch
    DispatchLoop loop = context.getBean(DispatchLoop.class);
    List<String> mates = new ArrayList<>();
    String poison;
    int before = loop.pending();
    loop.stop();
    try {
      for (int i = 0; i < 2; i++) {
        mates.add(submit(key, 100 + i));
      }
      poison = submit(key, PoisonModels.POISON_SEED);
      await("the three in the scheduler's queue").atMost(Duration.ofSeconds(30))
          .until(() -> loop.pending() >= before + 3);
    } finally {
      loop.start();
    }

    // first life: RETRYING between attempts, with the tenant's hold kept
    await("poison waits for a retry").atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofMillis(20)).until(() -> state(poison).equals("RETRYING"));
    assertThat(inFlight(tenantId)).as("RETRYING keeps the in-flight hold").contains(poison);
    assertThat(usageEvents(poison)).as("RETRYING is not billed").isZero();
    awaitState(poison, "FAILED");

    for (String mate : mates) {
      assertThat(state(mate)).as("batch-mate " + mate).isEqualTo("SUCCEEDED");
      assertThat(attempt(mate)).as("batch-mate dispatched once").isEqualTo(1);
      assertThat(usage(mate)).as("batch-mate billed once").isEqualTo("SUCCEEDED:true:1");
    }
    Map<String, List<GenerationResult>> results = results(Set.copyOf(append(mates, poison)));
    for (String mate : mates) {
      assertThat(statuses(results.get(mate))).as("batch-mate " + mate + " shared the failed step "
          + "(admitted twice, the second time alone) and succeeded once")
          .containsExactly("RUNNING", "RUNNING", "SUCCEEDED");
    }
    List<GenerationResult> poisonFailures = results.get(poison).stream()
        .filter(r -> r.status() == GenerationState.FAILED).toList();
    assertThat(poisonFailures).as("one failure per attempt").extracting(GenerationResult::attempt)
        .containsExactly(1, 2, 3);
    assertThat(poisonFailures).as("a decode fault is retryable").allSatisfy(r -> {
      assertThat(r.error().code()).isEqualTo("decode_error");
      assertThat(r.error().retryable()).isTrue();
    });
    assertThat(results.get(poison).get(0).batchId()).as("poison was in the mates' batch")
        .isEqualTo(results.get(mates.get(0)).get(0).batchId());
    assertBackoff(results.get(poison));

    Map<String, Object> row = row(poison);
    assertThat(row.get("attempt")).as("attempts used up").isEqualTo(MAX_ATTEMPTS);
    assertThat(row.get("error_code")).as("error kept").isEqualTo("decode_error");
    assertThat((String) row.get("error_message")).as("error message kept").contains("poisoned");
    assertThat(usage(poison)).as("one usage event, not billable").isEqualTo("FAILED:false:0");
    assertThat(inFlight(tenantId)).as("FAILED releases the hold").doesNotContain(poison);
    List<Map<String, Object>> letters = deadLetters(poison);
    assertThat(letters).as("exactly one dead letter").hasSize(1);
    long first = (Long) letters.get(0).get("id");
    assertThat(letters.get(0)).as("the dead letter").containsEntry("kind", "request")
        .containsEntry("attempts", MAX_ATTEMPTS).containsEntry("error_code", "decode_error")
        .containsEntry("model", POISON_MODEL).containsEntry("strategy", "ar")
        .containsEntry("tenant_id", UUID.fromString(tenantId));
    assertThat(publishedDeadLetters(poison)).as("published on " + Topics.DEAD_LETTERS)
        .extracting(DeadLetter::id).containsExactly(first);

    // the admin API lists it
    HttpResponse<String> listed = admin("GET", "/v1/admin/dead-letters?tenant_id=" + tenantId,
        null);
    JsonNode data = json(listed, 200).path("data");
    assertThat(data.size()).as("the tenant's dead letters: " + listed.body()).isEqualTo(1);
    JsonNode letter = data.get(0);
    assertThat(letter.path("id").asLong()).as("id").isEqualTo(first);
    assertThat(letter.path("generation_id").asText()).as("generation").isEqualTo(poison);
    assertThat(letter.path("attempts").asInt()).as("attempts").isEqualTo(MAX_ATTEMPTS);
    assertThat(letter.path("error_code").asText()).as("error code").isEqualTo("decode_error");
    assertThat(letter.path("error_message").asText()).as("message").contains("poisoned");
    assertThat(letter.path("request").path("seed").asLong()).as("the request's parameters")
        .isEqualTo(PoisonModels.POISON_SEED);
    assertThat(letter.has("replayed_at")).as("not replayed").isFalse();

    // second life: replayed, still poisonous: FAILED again, a second dead letter
    HttpResponse<String> replayed = admin("POST", "/v1/admin/dead-letters/" + first + "/replay",
        null);
    JsonNode view = json(replayed, 202);
    assertThat(view.path("status").asText()).as("replay answers the generation QUEUED")
        .isEqualTo("QUEUED");
    assertThat(view.path("attempt").asInt()).as("a new lease of life").isZero();
    assertThat(view.has("error")).as("the failed life's error is in the dead letter only")
        .isFalse();
    assertThat(status(poison, key)).as("GET no longer answers the cached FAILED")
        .isNotEqualTo("FAILED");
    assertThat(usageEvents(poison)).as("the failed life's unbilled event is gone").isZero();
    assertThat(inFlight(tenantId)).as("the replay re-takes the hold").contains(poison);
    HttpResponse<String> again = admin("POST", "/v1/admin/dead-letters/" + first + "/replay",
        null);
    assertProblem(again, 409, "already-replayed");
    awaitState(poison, "FAILED");
    letters = deadLetters(poison);
    assertThat(letters).as("a second dead letter").hasSize(2);
    long second = (Long) letters.get(0).get("id");
    assertThat(letters.get(1).get("replayed_at")).as("the first is marked replayed").isNotNull();
    assertThat(attempt(poison)).as("attempts counted from 0 again").isEqualTo(MAX_ATTEMPTS);
    assertThat(usage(poison)).as("still one usage event").isEqualTo("FAILED:false:0");
    JsonNode newest = json(admin("GET", "/admin/dead-letters?limit=1&tenant_id=" + tenantId,
        null), 200).path("data");
    assertThat(newest.size()).as("limit=1").isEqualTo(1);
    assertThat(newest.get(0).path("id").asLong()).as("newest first").isEqualTo(second);

    // third life: the fault is fixed, the replay succeeds and is billed once
    CURED.set(true);
    json(admin("POST", "/v1/admin/dead-letters/" + second + "/replay", null), 202);
    awaitState(poison, "SUCCEEDED");
    assertThat(attempt(poison)).as("first attempt of its new life").isEqualTo(1);
    assertThat(usage(poison)).as("one usage event, billable").isEqualTo("SUCCEEDED:true:1");
    assertThat(deadLetters(poison)).as("both dead letters replayed").hasSize(2)
        .allSatisfy(l -> assertThat(l.get("replayed_at")).isNotNull());
    assertThat(api.getBytes("/v1/generations/" + poison + "/image.png", key).statusCode())
        .as("its image").isEqualTo(200);
    assertThat(inFlight(tenantId)).as("nothing left in flight").isEmpty();
    assertThat(monthlyImages(tenantId)).as("the quota counts the 3 billable images: FAILED gave "
        + "the image back, each replay took it again").isEqualTo("3");
    assertThat(counter("tessera_request_retries_total") - retriesBefore)
        .as("two retries in each failed life").isGreaterThanOrEqualTo(4);
    assertThat(counter("tessera_dead_letters_total") - deadLettersBefore)
        .as("two dead letters").isGreaterThanOrEqualTo(2);
  }

  @Test
  void theAdminDeadLetterEndpointsNeedTheAdminTokenAndAnswerProblems() throws Exception {
    HttpResponse<String> noToken = send("GET", "/v1/admin/dead-letters", null, null);
    assertProblem(noToken, 401, "unauthorized");
    HttpResponse<String> tenantKey = send("POST", "/v1/admin/dead-letters/1/replay",
        api.newTenantKey("not-admin"), null);
    assertProblem(tenantKey, 401, "unauthorized");
    assertProblem(admin("GET", "/v1/admin/dead-letters?limit=0", null), 400, "invalid-field");
    assertThat(json(admin("GET", "/v1/admin/dead-letters?limit=x", null), 400).path("field")
        .asText()).as("field named").isEqualTo("limit");
    assertProblem(admin("GET", "/v1/admin/dead-letters?tenant_id=" + UUID.randomUUID(), null),
        404, "not-found");
    assertProblem(admin("POST", "/v1/admin/dead-letters/9223372036854775807/replay", null), 404,
        "not-found");
    assertProblem(admin("POST", "/v1/admin/dead-letters/abc/replay", null), 404, "not-found");
  }

  @Test
  void duplicateAndLateFailedResultsChangeNothing() throws Exception {
    api.awaitModel("fm-ar");
    TenantService tenants = context.getBean(TenantService.class);
    UUID tenant = tenants.ensureTenant("duplicates-" + UUID.randomUUID());
    UUID keyId = tenants.issueKey(tenant, "test").keyId();
    Failure fault = Failure.transientFault("decode_error", "worker fault");

    // a retryable failure of attempt 1, delivered twice: one RETRYING, then a normal retry
    GenerationRequest a = dispatched(tenant, keyId, 1);
    GenerationResult failedA = failed(a, fault);
    api.awaitRecorderPast(api.publish(a.id(), Json.toBytes(failedA)));
    Map<String, Object> retrying = row(a.id());
    assertThat(retrying.get("retrying_at")).as("moved to RETRYING").isNotNull();
    api.awaitRecorderPast(api.publish(a.id(), Json.toBytes(failedA)));
    Map<String, Object> afterDuplicate = row(a.id());
    assertThat(afterDuplicate.get("retrying_at")).as("the duplicate did not retry it again")
        .isEqualTo(retrying.get("retrying_at"));
    assertThat(afterDuplicate.get("retry_at")).as("nor move its backoff")
        .isEqualTo(retrying.get("retry_at"));
    awaitState(a.id(), "SUCCEEDED");
    assertThat(attempt(a.id())).as("retried once").isEqualTo(2);
    assertThat(usage(a.id())).as("billed once").isEqualTo("SUCCEEDED:true:1");
    String succeeded = fingerprint(a.id());
    api.awaitRecorderPast(api.publish(a.id(), Json.toBytes(failedA)));
    assertThat(fingerprint(a.id())).as("a late failure of a finished one").isEqualTo(succeeded);
    assertThat(deadLetters(a.id())).as("never dead-lettered").isEmpty();

    // attempts used up: FAILED with one dead letter; the same result again changes nothing
    GenerationRequest b = dispatched(tenant, keyId, MAX_ATTEMPTS);
    GenerationResult failedB = failed(b, fault);
    api.awaitRecorderPast(api.publish(b.id(), Json.toBytes(failedB)));
    assertThat(state(b.id())).as("out of attempts").isEqualTo("FAILED");
    String failedRow = fingerprint(b.id());
    api.awaitRecorderPast(api.publish(b.id(), Json.toBytes(failedB)));
    assertThat(fingerprint(b.id())).as("the row is unchanged").isEqualTo(failedRow);
    assertThat(deadLetters(b.id())).as("one dead letter").hasSize(1);
    assertThat(usage(b.id())).as("one usage event").isEqualTo("FAILED:false:0");

    // a lower attempt than the row's is ignored; a permanent failure ends it at once
    GenerationRequest c = dispatched(tenant, keyId, 2);
    api.awaitRecorderPast(api.publish(c.id(), Json.toBytes(failed(c.withAttempt(1), fault))));
    assertThat(row(c.id())).as("a failure of attempt 1 at attempt 2")
        .containsEntry("state", "DISPATCHED").containsEntry("attempt", 2)
        .containsEntry("retrying_at", null);
    api.awaitRecorderPast(api.publish(c.id(), Json.toBytes(failed(c,
        Failure.permanent("invalid_request", "class out of range")))));
    assertThat(state(c.id())).as("not retryable").isEqualTo("FAILED");
    assertThat(deadLetters(c.id())).as("dead-lettered at attempt 2").singleElement()
        .satisfies(l -> assertThat(l).containsEntry("attempts", 2)
            .containsEntry("error_code", "invalid_request"));
  }

  // ---------------------------------------------------------------- the poison worker

  /** The poison worker's models. */
  @Configuration(proxyBeanMethods = false)
  static class PoisonWorker {
    @Bean
    @Primary
    ModelSource poisonModels() {
      return new PoisonModels(CURED::get);
    }
  }

  private static synchronized void startPoisonWorker() {
    if (poisonWorker != null) {
      return;
    }
    Map<String, Object> properties = new HashMap<>(EmbeddedStack.servers().springProperties());
    properties.put("tessera.worker.id", "poison-" + UUID.randomUUID());
    properties.put("tessera.worker.models", POISON_MODEL);
    properties.put("tessera.worker.max-images", "4");
    properties.put("tessera.worker.prefetch", "4");
    properties.put("tessera.worker.high-priority-reserve", "0"); // the batch decodes together
    properties.put("tessera.worker.heartbeat-interval", "300ms");
    properties.put("spring.flyway.enabled", "false");
    poisonWorker = new SpringApplicationBuilder(PoisonWorker.class, WorkerApplication.class)
        .web(WebApplicationType.NONE).properties(properties).run();
  }

  // ---------------------------------------------------------------- helpers

  private String submit(String key, long seed) throws Exception {
    HttpResponse<String> accepted = api.post("/v1/generations", key, "application/json",
        "{\"model\":\"" + POISON_MODEL + "\",\"class_label\":1,\"seed\":" + seed + "}");
    return json(accepted, 202).path("id").asText();
  }

  /** A row as the scheduler leaves it after a claim, with no worker holding it. */
  private GenerationRequest dispatched(UUID tenant, UUID keyId, int attempt) {
    GenerationRequest r = new GenerationRequest(UUID.randomUUID().toString(), tenant.toString(),
        keyId.toString(), "fm-ar", 4, Strategy.AR, 77L, SamplingParams.DEFAULT,
        StrategyParams.DEFAULT, Priority.NORMAL, null, 0,
        Instant.now().truncatedTo(ChronoUnit.MICROS));
    UUID batch = UUID.randomUUID();
    context.getBean(TransactionTemplate.class).executeWithoutResult(status -> {
      context.getBean(GenerationRepository.class).insertQueued(r);
      jdbc.sql("""
              UPDATE generations SET state = 'DISPATCHED', attempt = :attempt, batch_id = :batch,
                  dispatched_at = now() WHERE id = :id""")
          .param("attempt", attempt).param("batch", batch).param("id", UUID.fromString(r.id()))
          .update();
    });
    return r.withAttempt(attempt);
  }

  private GenerationResult failed(GenerationRequest r, Failure failure) {
    String batch = jdbc.sql("SELECT batch_id::text FROM generations WHERE id = :id")
        .param("id", UUID.fromString(r.id())).query(String.class).single();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    return GenerationResult.failed(r, batch, "test-worker", now, now, failure);
  }

  /** Between attempts the backoff doubles: attempt n+1 starts ≥ base × 2^(n−1) after n failed. */
  private static void assertBackoff(List<GenerationResult> events) {
    for (int attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      int n = attempt;
      Instant failedAt = events.stream()
          .filter(r -> r.status() == GenerationState.FAILED && r.attempt() == n)
          .findFirst().orElseThrow().finishedAt();
      Instant nextStart = events.stream()
          .filter(r -> r.status() == GenerationState.RUNNING && r.attempt() == n + 1)
          .findFirst().orElseThrow().startedAt();
      assertThat(Duration.between(failedAt, nextStart))
          .as("wait after attempt " + n).isGreaterThanOrEqualTo(BACKOFF.multipliedBy(1L << (n - 1)));
    }
  }

  private void awaitState(String id, String state) {
    await(id + " " + state).atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(50))
        .until(() -> state(id).equals(state));
  }

  private String state(String id) {
    return (String) row(id).get("state");
  }

  private int attempt(String id) {
    return (Integer) row(id).get("attempt");
  }

  private Map<String, Object> row(String id) {
    return jdbc.sql("""
            SELECT state, attempt, retrying_at, retry_at, error_code, error_message
            FROM generations WHERE id = :id""")
        .param("id", UUID.fromString(id)).query().singleRow();
  }

  private String fingerprint(String id) {
    return jdbc.sql("SELECT (to_jsonb(g) - 'image_png')::text FROM generations g WHERE id = :id")
        .param("id", UUID.fromString(id)).query(String.class).single();
  }

  private int usageEvents(String id) {
    return api.usageEvents(UUID.fromString(id));
  }

  /** The usage event as "state:billable:images", events joined by commas. */
  private String usage(String id) {
    return jdbc.sql("""
            SELECT string_agg(state || ':' || billable || ':' || images, ',')
            FROM usage_events WHERE request_id = :id""")
        .param("id", UUID.fromString(id)).query(String.class).single();
  }

  /** The generation's dead letters, newest first. */
  private List<Map<String, Object>> deadLetters(String id) {
    return jdbc.sql("""
            SELECT id, kind, tenant_id, model, strategy, attempts, error_code, error, replayed_at
            FROM dead_letters WHERE request_id = :id ORDER BY created_at DESC, id DESC""")
        .param("id", UUID.fromString(id)).query().listOfRows();
  }

  private Set<String> inFlight(String tenantId) {
    String prefix = context.getBean(RedisProperties.class).keyPrefix();
    return context.getBean(RedissonClient.class)
        .<String>getSet(prefix + "limits:in-flight:" + tenantId, StringCodec.INSTANCE).readAll();
  }

  private String monthlyImages(String tenantId) {
    String prefix = context.getBean(RedisProperties.class).keyPrefix();
    return (String) context.getBean(RedissonClient.class).getBucket(prefix + "limits:images:"
        + tenantId + ":" + YearMonth.now(ZoneOffset.UTC), StringCodec.INSTANCE).get();
  }

  /** Every event of these requests on the results topic, in order, by request id. */
  private Map<String, List<GenerationResult>> results(Set<String> ids) {
    Map<String, List<GenerationResult>> byId = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : readAll(Topics.RESULTS)) {
      if (ids.contains(r.key())) {
        byId.computeIfAbsent(r.key(), k -> new ArrayList<>())
            .add(Json.fromBytes(r.value(), GenerationResult.class));
      }
    }
    return byId;
  }

  private List<DeadLetter> publishedDeadLetters(String id) {
    List<DeadLetter> letters = new ArrayList<>();
    await("dead letter published").atMost(Duration.ofSeconds(30)).until(() -> {
      letters.clear();
      for (ConsumerRecord<String, byte[]> r : readAll(Topics.DEAD_LETTERS)) {
        DeadLetter letter = Json.fromBytes(r.value(), DeadLetter.class);
        if (letter.request().id().equals(id)) {
          letters.add(letter);
        }
      }
      return !letters.isEmpty();
    });
    return letters;
  }

  /** A topic from its beginning up to its end now. */
  private List<ConsumerRecord<String, byte[]>> readAll(String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        context.getEnvironment().getRequiredProperty("spring.kafka.bootstrap-servers"));
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
          && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  private static List<String> statuses(List<GenerationResult> events) {
    return events.stream().map(r -> r.status().name()).toList();
  }

  private static List<String> append(List<String> list, String one) {
    List<String> all = new ArrayList<>(list);
    all.add(one);
    return all;
  }

  /** A counter without labels from the gateway's Prometheus page. */
  private double counter(String name) throws Exception {
    return api.get("/actuator/prometheus", null).body().lines()
        .filter(l -> l.startsWith(name + " ")).findFirst()
        .map(l -> Double.parseDouble(l.substring(name.length() + 1).trim())).orElse(0.0);
  }

  private String status(String id, String key) throws Exception {
    return EndToEndScenario.json(api.get("/v1/generations/" + id, key).body()).path("status")
        .asText();
  }

  private HttpResponse<String> admin(String method, String path, String body) throws Exception {
    return send(method, path, TesseraStackTest.ADMIN_TOKEN, body);
  }

  private HttpResponse<String> send(String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode()).as("status of " + response.body()).isEqualTo(status);
    return EndToEndScenario.json(response.body());
  }

  private static void assertProblem(HttpResponse<String> response, int status, String type)
      throws Exception {
    JsonNode problem = json(response, status);
    assertThat(response.headers().firstValue("Content-Type")).as("problem content type")
        .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
    assertThat(problem.path("type").asText()).as("problem type")
        .isEqualTo("https://tessera.dev/problems/" + type);
  }
}
