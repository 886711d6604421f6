package dev.tessera.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.Priority;
import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import dev.tessera.gateway.auth.TenantService;
import dev.tessera.gateway.generation.GenerationRepository;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code GET /v1/generations} and {@code GET /v1/admin/generations} over HTTP: pages newest first
 * that together hold every generation once, both cursors, every filter, refused parameters, and
 * tenant isolation (another tenant's generations are not listed, its ids are 404 and no cursor).
 * Rows are stored directly and moved to terminal states at once, so no scheduler or worker acts on
 * them.
 */
@TesseraStackTest
class GenerationListingTest {

  private static final String[] STATES = {"SUCCEEDED", "FAILED", "CANCELLED", "EXPIRED"};

  private final ApplicationContext context;
  private final JdbcClient jdbc;
  private final EndToEndScenario api;

  GenerationListingTest(ApplicationContext context, JdbcClient jdbc, @LocalServerPort int port) {
    this.context = context;
    this.jdbc = jdbc;
    this.api = new EndToEndScenario(context, port);
  }

  private record Tenant(UUID id, UUID keyId, String key) {}

  private Tenant tenant(String name) {
    TenantService tenants = context.getBean(TenantService.class);
    UUID tenant = tenants.ensureTenant(name + "-" + UUID.randomUUID());
    TenantService.IssuedKey key = tenants.issueKey(tenant, "test");
    return new Tenant(tenant, key.keyId(), key.key());
  }

  /** Stores n finished generations, oldest first; item i has model m{i%2}, state STATES[i%4]. */
  private List<String> store(Tenant t, int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      GenerationRequest r = new GenerationRequest(UUID.randomUUID().toString(),
          t.id().toString(), t.keyId().toString(), "list-m" + (i % 2), i % 10,
          i % 3 == 0 ? Strategy.PAR : Strategy.AR, i, SamplingParams.DEFAULT,
          StrategyParams.DEFAULT, Priority.NORMAL, null, 0,
          Instant.now().truncatedTo(ChronoUnit.MICROS));
      context.getBean(GenerationRepository.class).insertQueued(r);
      jdbc.sql("UPDATE generations SET state = :state, updated_at = now() WHERE id = :id")
          .param("state", STATES[i % 4]).param("id", UUID.fromString(r.id())).update();
      ids.add(r.id());
    }
    return ids;
  }

  private JsonNode list(String query, String key) throws Exception {
    HttpResponse<String> response = api.get("/v1/generations" + query, key);
    assertThat(response.statusCode()).as("GET /v1/generations%s: %s", query, response.body())
        .isEqualTo(200);
    return EndToEndScenario.json(response.body());
  }

  private static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.path("data").forEach(item -> ids.add(item.path("id").asText()));
    return ids;
  }

  private static List<String> newestFirst(List<String> ids) {
    List<String> reversed = new ArrayList<>(ids);
    java.util.Collections.reverse(reversed);
    return reversed;
  }

  @Test
  void pagesNewestFirstHoldEveryGenerationOnceInBothDirections() throws Exception {
    Tenant t = tenant("list-pages");
    List<String> expected = newestFirst(store(t, 25));

    JsonNode first = list("?limit=10", t.key());
    assertThat(first.path("object").asText()).isEqualTo("list");
    assertThat(ids(first)).isEqualTo(expected.subList(0, 10));
    assertThat(first.path("has_more").asBoolean()).isTrue();
    assertThat(first.path("first_id").asText()).isEqualTo(expected.get(0));
    assertThat(first.path("last_id").asText()).isEqualTo(expected.get(9));

    JsonNode second = list("?limit=10&after=" + first.path("last_id").asText(), t.key());
    assertThat(ids(second)).isEqualTo(expected.subList(10, 20));
    assertThat(second.path("has_more").asBoolean()).isTrue();
    JsonNode third = list("?limit=10&after=" + second.path("last_id").asText(), t.key());
    assertThat(ids(third)).isEqualTo(expected.subList(20, 25));
    assertThat(third.path("has_more").asBoolean()).as("the last page").isFalse();

    JsonNode back = list("?limit=10&before=" + second.path("first_id").asText(), t.key());
    assertThat(ids(back)).as("before: the page newer than the cursor").isEqualTo(ids(first));
    assertThat(back.path("has_more").asBoolean()).as("nothing newer than the first page")
        .isFalse();
    JsonNode backOne = list("?limit=3&before=" + third.path("first_id").asText(), t.key());
    assertThat(ids(backOne)).isEqualTo(expected.subList(17, 20));
    assertThat(backOne.path("has_more").asBoolean()).isTrue();

    JsonNode all = list("", t.key());
    assertThat(ids(all)).as("default limit 20").isEqualTo(expected.subList(0, 20));
    assertThat(all.path("data").get(0).path("status").asText()).as("items are generations")
        .isEqualTo(STATES[24 % 4]);
  }

  @Test
  void filtersKeepOnlyWhatTheyName() throws Exception {
    Tenant t = tenant("list-filters");
    List<String> stored = store(t, 16);
    List<String> expected = newestFirst(stored);

    assertThat(ids(list("?status=failed,cancelled&limit=100", t.key()))).isEqualTo(
        expected.stream().filter(id -> {
          int i = stored.indexOf(id);
          return i % 4 == 1 || i % 4 == 2;
        }).toList());
    assertThat(ids(list("?model=list-m1&limit=100", t.key()))).isEqualTo(
        expected.stream().filter(id -> stored.indexOf(id) % 2 == 1).toList());
    assertThat(ids(list("?strategy=par&limit=100", t.key()))).isEqualTo(
        expected.stream().filter(id -> stored.indexOf(id) % 3 == 0).toList());
    assertThat(ids(list("?status=succeeded&model=list-m0&strategy=ar&limit=100", t.key())))
        .as("filters combine").isEqualTo(expected.stream().filter(id -> {
          int i = stored.indexOf(id);
          return i % 4 == 0 && i % 2 == 0 && i % 3 != 0;
        }).toList());

    UUID batch = UUID.randomUUID();
    jdbc.sql("UPDATE generations SET batch_id = :b WHERE id IN (:ids)").param("b", batch)
        .param("ids", List.of(UUID.fromString(stored.get(3)), UUID.fromString(stored.get(5))))
        .update();
    assertThat(ids(list("?batch_id=" + batch, t.key())))
        .containsExactly(stored.get(5), stored.get(3));

    Instant from = createdAt(stored.get(4));
    Instant to = createdAt(stored.get(9));
    assertThat(ids(list("?created_from=" + enc(from) + "&created_to=" + enc(to) + "&limit=100",
        t.key()))).as("[from, to)").isEqualTo(newestFirst(stored.subList(4, 9)));
  }

  @Test
  void anotherTenantsGenerationsAreNeitherListedNorFoundNorCursors() throws Exception {
    Tenant a = tenant("list-a");
    Tenant b = tenant("list-b");
    List<String> ofA = store(a, 3);
    List<String> ofB = store(b, 2);

    assertThat(ids(list("?limit=100", b.key()))).containsExactlyElementsOf(newestFirst(ofB));
    assertThat(api.get("/v1/generations/" + ofA.get(0), a.key()).statusCode())
        .as("the owner reads it").isEqualTo(200);
    assertThat(api.get("/v1/generations/" + ofA.get(0), b.key()).statusCode())
        .as("another tenant: 404").isEqualTo(404);
    HttpResponse<String> cursor = api.get("/v1/generations?after=" + ofA.get(0), b.key());
    assertThat(cursor.statusCode()).as("another tenant's id is no cursor").isEqualTo(400);
    assertThat(EndToEndScenario.json(cursor.body()).path("field").asText()).isEqualTo("after");
    assertThat(api.get("/v1/generations", null).statusCode()).as("no key").isEqualTo(401);

    JsonNode admin = EndToEndScenario.json(api.get("/v1/admin/generations?tenant_id=" + a.id(),
        TesseraStackTest.ADMIN_TOKEN).body());
    assertThat(ids(admin)).as("the admin lists any tenant's")
        .containsExactlyElementsOf(newestFirst(ofA));
    assertThat(admin.path("data").get(0).path("tenant_id").asText()).isEqualTo(a.id().toString());
    JsonNode everyone = EndToEndScenario.json(api.get("/v1/admin/generations?limit=100",
        TesseraStackTest.ADMIN_TOKEN).body());
    assertThat(ids(everyone)).as("and everyone's").contains(ofA.get(0), ofB.get(0));
    assertThat(api.get("/v1/admin/generations", a.key()).statusCode())
        .as("an API key is not the admin token").isEqualTo(401);
    assertThat(api.get("/v1/admin/generations?tenant_id=" + UUID.randomUUID(),
        TesseraStackTest.ADMIN_TOKEN).statusCode()).as("unknown tenant").isEqualTo(404);
  }

  @Test
  void badParametersAreRefusedNamingTheParameter() throws Exception {
    Tenant t = tenant("list-bad");
    String[][] cases = {{"limit=0", "limit"}, {"limit=101", "limit"}, {"limit=x", "limit"},
        {"status=DONE", "status"}, {"after=nope", "after"},
        {"after=" + UUID.randomUUID() + "&before=" + UUID.randomUUID(), "before"},
        {"created_from=yesterday", "created_from"}, {"batch_id=1", "batch_id"},
        {"strategy=fast", "strategy"},
        {"created_from=2030-01-02T00:00:00Z&created_to=2030-01-01T00:00:00Z", "created_to"}};
    for (String[] c : cases) {
      HttpResponse<String> response = api.get("/v1/generations?" + c[0], t.key());
      assertThat(response.statusCode()).as(c[0]).isEqualTo(400);
      JsonNode problem = EndToEndScenario.json(response.body());
      assertThat(problem.path("field").asText()).as(c[0]).isEqualTo(c[1]);
      assertThat(problem.path("type").asText()).as(c[0]).endsWith("/invalid-field");
    }
  }

  private Instant createdAt(String id) {
    return jdbc.sql("SELECT created_at FROM generations WHERE id = :id")
        .param("id", UUID.fromString(id)).query(java.sql.Timestamp.class).single().toInstant();
  }

  private static String enc(Instant t) {
    return URLEncoder.encode(t.toString(), StandardCharsets.UTF_8);
  }
}
