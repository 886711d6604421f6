package dev.tessera.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.contract.DecodeMetrics;
import dev.tessera.contract.GenerationResult;
import dev.tessera.contract.GenerationState;
import dev.tessera.contract.Json;
import dev.tessera.contract.Topics;
import dev.tessera.gateway.auth.TenantService;
import dev.tessera.gateway.generation.ResultCache;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.StringCodec;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The walking-skeleton scenario, run against whatever servers the context points at (embedded, or
 * containers): HTTP in, image out, the PostgreSQL row and the Redis entry checked, and a redelivered
 * result shown to change nothing.
 */
final class EndToEndScenario {

  static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;
  private final String kafka;
  private final JdbcClient jdbc;
  private final RedissonClient redis;
  private final ResultCache cache;
  private final TenantService tenants;

  EndToEndScenario(ApplicationContext context, int port) {
    this.base = "http://localhost:" + port;
    this.kafka = context.getEnvironment().getRequiredProperty("spring.kafka.bootstrap-servers");
    this.jdbc = context.getBean(JdbcClient.class);
    this.redis = context.getBean(RedissonClient.class);
    this.cache = context.getBean(ResultCache.class);
    this.tenants = context.getBean(TenantService.class);
  }

  /** A fresh tenant's key. */
  String newTenantKey(String name) {
    UUID tenant = tenants.ensureTenant(name + "-" + UUID.randomUUID());
    return tenants.issueKey(tenant, "test").key();
  }

  /** Waits until the gateway lists the model (workers announce it in heartbeats). */
  void awaitModel(String model) {
    await("model " + model + " listed").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> get("/v1/models", null).body().contains("\"" + model + "\""));
  }

  HttpResponse<String> get(String path, String key) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<byte[]> getBytes(String path, String key) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + key).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<String> post(String path, String key, String contentType, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(String body) throws IOException {
    return JSON.readTree(body);
  }

  /** The whole walk: POST → SUCCEEDED → PNG, row, cache, and a redelivery that changes nothing. */
  void run() throws Exception {
    awaitModel("fm-ar");
    String key = newTenantKey("e2e");

    // submit
    HttpResponse<String> accepted = post("/v1/generations", key, "application/json",
        "{\"model\":\"fm-ar\",\"class_label\":3,\"seed\":1234,\"temperature\":0.9,\"top_k\":50}");
    assertThat(accepted.statusCode()).as("POST answers 202: " + accepted.body()).isEqualTo(202);
    JsonNode body = json(accepted.body());
    String id = body.get("id").asText();
    assertThat(body.get("status_url").asText()).as("status_url points at the generation")
        .isEqualTo(base + "/v1/generations/" + id);
    assertThat(accepted.headers().firstValue("Location")).as("Location header")
        .contains(base + "/v1/generations/" + id);

    // wait for the result
    await("generation " + id + " SUCCEEDED").atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> {
          String status = json(get("/v1/generations/" + id, key).body()).path("status").asText();
          assertThat(status).as("never fails").isNotEqualTo("FAILED");
          return status.equals("SUCCEEDED");
        });
    JsonNode view = json(get("/v1/generations/" + id, key).body());
    checkView(view, id);

    // the image
    HttpResponse<byte[]> image = getBytes("/v1/generations/" + id + "/image.png", key);
    assertThat(image.statusCode()).as("image downloads").isEqualTo(200);
    assertThat(image.headers().firstValue("Content-Type")).as("content type").contains("image/png");
    byte[] png = image.body();
    assertThat(Arrays.copyOf(png, 8)).as("PNG magic bytes").isEqualTo(PNG_MAGIC);
    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(decoded.getWidth()).as("image width").isEqualTo(32);
    assertThat(decoded.getHeight()).as("image height").isEqualTo(32);

    // the durable row
    UUID uuid = UUID.fromString(id);
    Map<String, Object> row = jdbc.sql("""
            SELECT state, attempt, worker_id, steps, target_forwards, queue_ms, batch_wait_ms,
                   decode_ms, encode_ms, end_to_end_ms, image_png, seed, class_label
            FROM generations WHERE id = :id""").param("id", uuid).query().singleRow();
    assertThat(row.get("state")).as("row state").isEqualTo("SUCCEEDED");
    assertThat(row.get("attempt")).as("first attempt").isEqualTo(1);
    assertThat(row.get("seed")).as("seed recorded").isEqualTo(1234L);
    assertThat(row.get("steps")).as("one AR step per token").isEqualTo(256);
    assertThat(row.get("target_forwards")).as("one forward per token").isEqualTo(256);
    for (String column : List.of("queue_ms", "batch_wait_ms", "decode_ms", "encode_ms",
        "end_to_end_ms")) {
      assertThat(row.get(column)).as("latency column " + column).isNotNull();
    }
    assertThat((byte[]) row.get("image_png")).as("stored PNG is the downloaded PNG").isEqualTo(png);
    assertThat(usageEvents(uuid)).as("one usage event").isEqualTo(1);

    // the cache entry
    String cached = (String) redis.getBucket(cache.key(uuid), StringCodec.INSTANCE).get();
    assertThat(cached).as("Redis holds the finished generation").isNotNull();
    assertThat(json(cached).path("view").path("status").asText()).as("cached status")
        .isEqualTo("SUCCEEDED");
    assertThat(redis.getBucket(cache.key(uuid)).remainTimeToLive()).as("cache entry has a TTL")
        .isPositive();
    assertThat((byte[]) redis.getBucket(cache.imageKey(uuid), ByteArrayCodec.INSTANCE).get())
        .as("Redis holds the PNG").isEqualTo(png);

    // a second delivery of the same result, and a forged one, change nothing
    String rowBefore = rowFingerprint(uuid);
    ConsumerRecord<String, byte[]> original = findResult(id, GenerationState.SUCCEEDED);
    GenerationResult first = Json.fromBytes(original.value(), GenerationResult.class);
    GenerationResult forged = new GenerationResult(first.requestId(), first.batchId(),
        GenerationState.SUCCEEDED, first.attempt() + 1, "another-worker", Instant.now(),
        Instant.now(), new DecodeMetrics(1, 1, 0, 0, 0, 1.0, new int[0], 1), 1, png, null);
    RecordMetadata dup = publish(id, original.value());
    RecordMetadata dup2 = publish(id, Json.toBytes(forged));
    awaitRecorderPast(dup);
    awaitRecorderPast(dup2);
    assertThat(rowFingerprint(uuid)).as("the row is unchanged by redeliveries").isEqualTo(rowBefore);
    assertThat(usageEvents(uuid)).as("still one usage event").isEqualTo(1);
    assertThat(redis.getBucket(cache.key(uuid), StringCodec.INSTANCE).get())
        .as("the cache entry is unchanged").isEqualTo(cached);
    assertThat(json(get("/v1/generations/" + id, key).body())).as("GET is unchanged")
        .isEqualTo(view);
  }

  private void checkView(JsonNode view, String id) {
    assertThat(view.path("id").asText()).as("id").isEqualTo(id);
    assertThat(view.path("model").asText()).as("model").isEqualTo("fm-ar");
    assertThat(view.path("strategy").asText()).as("strategy").isEqualTo("ar");
    assertThat(view.path("class_label").asInt()).as("class label").isEqualTo(3);
    assertThat(view.path("seed").asLong()).as("seed").isEqualTo(1234L);
    assertThat(view.path("sampling").path("temperature").asDouble()).as("temperature")
        .isEqualTo(0.9);
    assertThat(view.path("sampling").path("top_k").asInt()).as("top_k").isEqualTo(50);
    assertThat(view.path("worker_id").asText()).as("worker id").isNotBlank();
    JsonNode ts = view.path("timestamps");
    List<String> order = List.of("queued_at", "dispatched_at", "running_at", "succeeded_at");
    Instant previous = Instant.MIN;
    for (String name : order) {
      assertThat(ts.hasNonNull(name)).as("timestamp " + name + " in " + ts).isTrue();
      Instant t = Instant.parse(ts.get(name).asText());
      assertThat(t).as(name + " is not before the previous state").isAfterOrEqualTo(previous);
      previous = t;
    }
    for (String name : List.of("queue_ms", "batch_wait_ms", "decode_ms", "encode_ms",
        "end_to_end_ms")) {
      assertThat(view.path("latency").path(name).isNumber()).as("latency " + name).isTrue();
    }
    long e2e = view.path("latency").path("end_to_end_ms").asLong();
    assertThat(e2e).as("end to end covers the decode")
        .isGreaterThanOrEqualTo(view.path("latency").path("decode_ms").asLong());
    assertThat(view.path("metrics").path("steps").asInt()).as("steps").isEqualTo(256);
    assertThat(view.path("metrics").path("mean_accepted_length").asDouble()).as("AR accepts 1")
        .isEqualTo(1.0);
    assertThat(view.path("links").path("image").asText()).as("image link")
        .isEqualTo("/v1/generations/" + id + "/image.png");
  }

  int usageEvents(UUID id) {
    return jdbc.sql("SELECT count(*) FROM usage_events WHERE request_id = :id").param("id", id)
        .query(Integer.class).single();
  }

  private String rowFingerprint(UUID id) {
    return jdbc.sql("""
            SELECT (to_jsonb(g) - 'image_png')::text || md5(image_png)
            FROM generations g WHERE id = :id""")
        .param("id", id).query(String.class).single();
  }

  ConsumerRecord<String, byte[]> findResult(String id, GenerationState status) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.RESULTS).stream()
          .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (id.equals(r.key())
              && Json.fromBytes(r.value(), GenerationResult.class).status() == status) {
            return r;
          }
        }
      }
    }
    throw new AssertionError("no " + status + " result for " + id + " on " + Topics.RESULTS);
  }

  /** {@code DELETE /v1/generations/{id}}: cancels a generation. */
  HttpResponse<String> cancel(String id, String key) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(base + "/v1/generations/" + id))
        .header("Authorization", "Bearer " + key).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Puts a request on {@link Topics#REQUESTS} directly, as the gateway would after storing it. */
  void publishRequest(dev.tessera.contract.GenerationRequest request) throws Exception {
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka),
        new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(Topics.REQUESTS, request.model(),
          dev.tessera.contract.Json.toBytes(request))).get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  RecordMetadata publish(String key, byte[] value) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
      return producer.send(new ProducerRecord<>(Topics.RESULTS, key, value)).get();
    }
  }

  /** Waits until the recorder committed past a record (so it has recorded it). */
  void awaitRecorderPast(RecordMetadata record) {
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    try (AdminClient admin = AdminClient.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
      await("recorder consumed offset " + record.offset()).atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets("tessera-recorder")
                .partitionsToOffsetAndMetadata().get().get(tp);
            return committed != null && committed.offset() > record.offset();
          });
    }
  }
}
