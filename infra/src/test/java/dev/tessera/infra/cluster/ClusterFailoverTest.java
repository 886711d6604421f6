package dev.tessera.infra.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.contract.WorkerHeartbeat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;

/**
 * Tessera as separate OS processes (two gateways, two schedulers, three workers, each its own JVM
 * running its deployable jar, a tiny random-weights model). First a worker and the active scheduler
 * are killed with SIGKILL while they decode and dispatch: every request ends SUCCEEDED exactly
 * once, billed once; what the dead worker decoded is decoded elsewhere; the standby takes over
 * under a higher fencing token; no worker ever held more than the capacity it advertises; either
 * gateway answers for any generation. Then a worker that joins gets work, and one stopped with
 * SIGTERM finishes what it decodes, hands back the rest, and exits by itself.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverTest {

  private static final int REQUESTS = 18;
  private static final int CAPACITY = 3; // max-images 2 + prefetch 1
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Path home;
  private static LocalCluster cluster;
  private static ClusterDb db;

  @BeforeAll
  static void startCluster() throws Exception {
    home = Files.createTempDirectory("tessera-cluster-test");
    cluster = LocalCluster.start(new LocalCluster.Spec(Path.of("..").toAbsolutePath().normalize(),
        home, 2, 2, 3, 0, Map.ofEntries(
            Map.entry("tessera.worker.models", "fm-tiny"),
            Map.entry("tessera.worker.models-dir", home.resolve("no-models").toString()),
            Map.entry("tessera.worker.random-model.dim", "64"),
            Map.entry("tessera.worker.random-model.layers", "2"),
            Map.entry("tessera.worker.random-model.heads", "2"),
            Map.entry("tessera.worker.max-images", "2"),
            Map.entry("tessera.worker.prefetch", "1"),
            Map.entry("tessera.worker.high-priority-reserve", "0"),
            Map.entry("tessera.worker.light-tenant-width", "0"),
            Map.entry("tessera.worker.torch-threads", "1"),
            Map.entry("tessera.worker.heartbeat-interval", "500ms"),
            Map.entry("tessera.scheduler.worker-timeout", "3s"),
            Map.entry("tessera.scheduler.lease-ttl", "3s"),
            Map.entry("tessera.scheduler.lease-renew-interval", "500ms"),
            Map.entry("tessera.scheduler.max-batch-wait", "20ms"),
            Map.entry("tessera.scheduler.sweep-interval", "2s"),
            Map.entry("tessera.scheduler.sweep-min-age", "1s"))), null, false);
    db = new ClusterDb(cluster.servers().jdbcUrl());
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
    assertThat(ProcessHandle.current().children().filter(p -> p.info().command()
        .map(c -> c.contains("java")).orElse(false)).count())
        .as("no service process left behind").isZero();
  }

  @Test
  @Order(1)
  void everyRequestSucceedsOnceWhenAWorkerAndTheActiveSchedulerAreKilledMidDecode()
      throws Exception {
    List<ServiceProcess> gateways = cluster.gateways();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      ids.add(submit(gateways.get(i % 2), "{\"model\":\"fm-tiny\",\"class_label\":" + (i % 10)
          + ",\"seed\":" + i + "}"));
    }
    await("a worker decodes").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
        .until(() -> db.value("SELECT count(*) FROM generations WHERE state = 'RUNNING'") != null
            && ((Number) db.value("SELECT count(*) FROM generations WHERE state = 'RUNNING'"))
                .longValue() > 0);

    String victimId = (String) db.value("""
        SELECT worker_id FROM generations WHERE state = 'RUNNING'
        GROUP BY worker_id ORDER BY count(*) DESC LIMIT 1""");
    String leaderId = (String) db.value(
        "SELECT holder FROM scheduler_leases WHERE name = 'dispatch'");
    long oldToken = ((Number) db.value(
        "SELECT token FROM scheduler_leases WHERE name = 'dispatch'")).longValue();
    ServiceProcess victim = process(ServiceKind.WORKER, victimId);
    ServiceProcess leader = process(ServiceKind.SCHEDULER, leaderId);
    Set<String> onVictim = db.rows("SELECT id FROM generations WHERE worker_id = ? "
            + "AND state IN ('DISPATCHED', 'RUNNING')", victimId).stream()
        .map(r -> r.get("id").toString()).collect(Collectors.toSet());
    victim.kill();
    leader.kill();
    Instant killedAt = Instant.now();

    await("every request succeeds").atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> ((Number) db.value("SELECT count(*) FROM generations "
            + "WHERE state = 'SUCCEEDED'")).intValue() == REQUESTS);

    for (String id : ids) {
      UUID uuid = UUID.fromString(id);
      assertThat(db.value("SELECT count(*) FROM usage_events WHERE request_id = ?", uuid))
          .as("one usage event for " + id).isEqualTo(1L);
      int attempt = ((Number) db.value("SELECT attempt FROM generations WHERE id = ?", uuid))
          .intValue();
      assertThat(db.rows("SELECT attempt FROM dispatches WHERE request_id = ? ORDER BY attempt",
          uuid).stream().map(r -> ((Number) r.get("attempt")).intValue()).toList())
          .as("one dispatch per attempt of " + id).isEqualTo(
              java.util.stream.IntStream.rangeClosed(1, attempt).boxed().toList());
      if (onVictim.contains(id)) {
        assertThat(db.value("SELECT worker_id FROM generations WHERE id = ?", uuid))
            .as(id + " was on the killed worker; decoded elsewhere").isNotEqualTo(victimId);
      }
    }
    assertThat(db.value("SELECT count(*) FROM usage_events")).as("usage rows").isEqualTo(
        (long) REQUESTS);

    Map<String, Object> takeover = db.rows("""
        SELECT scheduler_id, fencing_token, dispatched_at FROM dispatches
        WHERE scheduler_id <> ? ORDER BY dispatched_at LIMIT 1""", leaderId).stream().findFirst()
        .orElse(null);
    if (!onVictim.isEmpty() || takeover != null) {
      assertThat(takeover).as("the standby dispatched after the kill").isNotNull();
      assertThat(((Number) takeover.get("fencing_token")).longValue())
          .as("under a newer fencing token").isGreaterThan(oldToken);
      Duration resumed = Duration.between(killedAt,
          ((Timestamp) takeover.get("dispatched_at")).toInstant());
      Map<String, Object> lease = db.rows(
          "SELECT token, acquired_at FROM scheduler_leases WHERE name = 'dispatch'").get(0);
      Duration acquired = Duration.between(killedAt,
          ((Timestamp) lease.get("acquired_at")).toInstant());
      System.out.println("after the kill of " + leaderId + ": the standby held the lease in "
          + acquired.toMillis() + " ms and dispatched in " + resumed.toMillis() + " ms");
      if (((Number) lease.get("token")).longValue() == oldToken + 1) { // one takeover since
        assertThat(acquired).as("the standby takes over within 10 s")
            .isLessThan(Duration.ofSeconds(10));
      }
    }

    List<WorkerHeartbeat> heartbeats = Heartbeats.readAll(cluster.servers().kafkaBootstrap());
    assertThat(heartbeats).as("heartbeats").isNotEmpty();
    for (WorkerHeartbeat h : heartbeats) {
      assertThat(h.peakHeld()).as("most requests " + h.workerId() + " ever held")
          .isLessThanOrEqualTo(h.capacity()).isLessThanOrEqualTo(CAPACITY);
    }
    assertThat(db.rows("SELECT DISTINCT worker_id FROM dispatches")).as("every worker got work")
        .hasSize(3);

    for (int i = 0; i < ids.size(); i++) {
      ServiceProcess other = gateways.get((i + 1) % 2); // not the one that accepted it
      JsonNode view = JSON.readTree(get(other, "/v1/generations/" + ids.get(i)).body());
      assertThat(view.path("status").asText()).as(ids.get(i) + " read from " + other.name())
          .isEqualTo("SUCCEEDED");
    }
    String events = get(gateways.get(1), "/v1/generations/" + ids.get(0) + "/events").body();
    assertThat(events).as("the event stream on the other gateway")
        .containsPattern("event: ?succeeded");
    String usage = "/v1/usage?bucket=1d&start="
        + Instant.now().minus(Duration.ofDays(2)).getEpochSecond();
    assertThat(get(gateways.get(0), usage).body()).as("usage from either gateway")
        .isEqualTo(get(gateways.get(1), usage).body()).contains("\"images\":" + REQUESTS);
  }

  @Test
  @Order(2)
  void aJoiningWorkerGetsWorkAndOneStoppedWithSigtermFinishesWhatItDecodesAndHandsBackTheRest()
      throws Exception {
    ServiceProcess joined = cluster.startService(ServiceKind.WORKER);
    joined.awaitReady(Duration.ofMinutes(10));
    List<String> ids = new ArrayList<>();
    int requests = CAPACITY * cluster.running(ServiceKind.WORKER).size();
    for (int i = 0; i < requests; i++) {
      ids.add(submit(cluster.gateways().get(0), "{\"model\":\"fm-tiny\",\"class_label\":1,"
          + "\"seed\":" + (1000 + i) + "}"));
    }
    await("the joining worker decodes").atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> !db.rows("SELECT id FROM generations WHERE worker_id = ? AND state = "
            + "'RUNNING'", joined.instanceId()).isEmpty());
    Map<String, Integer> runningThere = new java.util.HashMap<>();
    db.rows("SELECT id, attempt FROM generations WHERE worker_id = ? AND state = 'RUNNING'",
        joined.instanceId()).forEach(r -> runningThere.put(r.get("id").toString(),
            ((Number) r.get("attempt")).intValue()));

    assertThat(joined.stop(Duration.ofSeconds(60))).as("SIGTERM: the worker drains and exits")
        .isTrue();
    await("every request succeeds").atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> ids.stream().allMatch(id -> "SUCCEEDED".equals(
            db.value("SELECT state FROM generations WHERE id = ?", UUID.fromString(id)))));
    runningThere.forEach((id, attempt) -> {
      UUID uuid = UUID.fromString(id);
      assertThat(db.value("SELECT worker_id FROM generations WHERE id = ?", uuid))
          .as(id + " was decoding there: finished there").isEqualTo(joined.instanceId());
      assertThat(db.value("SELECT attempt FROM generations WHERE id = ?", uuid))
          .as(id + " was not dispatched again").isEqualTo(attempt);
    });
    List<WorkerHeartbeat> last = Heartbeats.readAll(cluster.servers().kafkaBootstrap()).stream()
        .filter(h -> h.workerId().equals(joined.instanceId())).toList();
    assertThat(last).as("its heartbeats").isNotEmpty();
    assertThat(last.get(last.size() - 1).leaving()).as("its last heartbeat says it left").isTrue();
    for (String back : last.get(last.size() - 1).handedBack()) {
      assertThat(db.value("SELECT worker_id FROM generations WHERE id = ?", UUID.fromString(back)))
          .as(back + " was handed back: decoded elsewhere").isNotEqualTo(joined.instanceId());
    }
    for (String id : ids) {
      assertThat(db.value("SELECT count(*) FROM usage_events WHERE request_id = ?",
          UUID.fromString(id))).as("one usage event for " + id).isEqualTo(1L);
    }
  }

  private static HttpResponse<String> get(ServiceProcess gateway, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
        .header("Authorization", "Bearer " + cluster.apiKey()).timeout(Duration.ofSeconds(30))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static ServiceProcess process(ServiceKind kind, String instanceId) {
    return cluster.running(kind).stream().filter(p -> p.instanceId().equals(instanceId))
        .findFirst().orElseThrow(() -> new AssertionError("no running " + kind + " " + instanceId));
  }

  private static String submit(ServiceProcess gateway, String body) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + gateway.port() + "/v1/generations"))
        .header("Authorization", "Bearer " + cluster.apiKey())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("202: " + r.body()).isEqualTo(202);
    JsonNode json = JSON.readTree(r.body());
    return json.get("id").asText();
  }
}
