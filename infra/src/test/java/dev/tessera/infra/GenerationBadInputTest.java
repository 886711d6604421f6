package dev.tessera.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.Priority;
import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import dev.tessera.gateway.auth.Caller;
import dev.tessera.gateway.auth.TenantService;
import dev.tessera.gateway.generation.GenerationRepository;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * Every rejected input gets the right status and an RFC 9457 problem body with a machine-readable
 * type and the offending field; none gets a 500.
 */
@TesseraStackTest
class GenerationBadInputTest {

  private static final String PROBLEMS = "https://tessera.dev/problems/";

  private final ApplicationContext context;
  private final int port;

  private final EndToEndScenario api;
  private String key;

  GenerationBadInputTest(ApplicationContext context, @LocalServerPort int port) {
    this.context = context;
    this.port = port;
    this.api = new EndToEndScenario(context, port);
  }

  @BeforeEach
  void setUp() {
    api.awaitModel("fm-ar");
    key = api.newTenantKey("bad-input");
  }

  @Test
  void aMissingKeyIs401() throws Exception {
    assertProblem(api.post("/v1/generations", null, "application/json", valid()), 401,
        "unauthorized", "Authorization");
  }

  @Test
  void anUnknownKeyIs401() throws Exception {
    String unknown = "tsk_AAAAAAAAAAAA_" + "B".repeat(40);
    assertProblem(api.post("/v1/generations", unknown, "application/json", valid()), 401,
        "unauthorized", "Authorization");
  }

  @Test
  void aMalformedKeyOrSchemeIs401() throws Exception {
    assertProblem(api.post("/v1/generations", "not-a-key", "application/json", valid()), 401,
        "unauthorized", "Authorization");
    assertProblem(api.get("/v1/generations/" + UUID.randomUUID(), key.substring(0, 20)), 401,
        "unauthorized", "Authorization");
  }

  @Test
  void aKeyIsCheckedBeforeTheBody() throws Exception {
    assertProblem(api.post("/v1/generations", null, "application/json", "{oops"), 401,
        "unauthorized", "Authorization");
  }

  @Test
  void malformedJsonIs400() throws Exception {
    assertProblem(post("{\"model\": \"fm-ar\", "), 400, "malformed-json", null);
    assertProblem(post("[1, 2]"), 400, "wrong-type", null);
  }

  @Test
  void anEmptyBodyIs400NamingTheFirstRequiredField() throws Exception {
    assertProblem(post(""), 400, "missing-field", "model");
  }

  @Test
  void wrongTypesAre400NamingTheField() throws Exception {
    assertProblem(post("{\"model\":\"fm-ar\",\"class_label\":\"three\"}"), 400, "wrong-type",
        "class_label");
    assertProblem(post("{\"model\":\"fm-ar\",\"class_label\":2.5}"), 400, "wrong-type",
        "class_label");
    assertProblem(post("{\"model\":5,\"class_label\":1}"), 400, "wrong-type", "model");
    assertProblem(post("{\"model\":\"fm-ar\",\"class_label\":1,\"seed\":\"x\"}"), 400, "wrong-type",
        "seed");
    assertProblem(post("{\"model\":\"fm-ar\",\"class_label\":1,\"temperature\":\"hot\"}"), 400,
        "wrong-type", "temperature");
    assertProblem(post("{\"model\":\"fm-ar\",\"class_label\":null}"), 400, "missing-field",
        "class_label");
  }

  @Test
  void anUnknownFieldIs400NamingIt() throws Exception {
    assertProblem(post("{\"model\":\"fm-ar\",\"clas_label\":1}"), 400, "unknown-field",
        "clas_label");
  }

  @Test
  void missingRequiredFieldsAre400() throws Exception {
    assertProblem(post("{\"class_label\":1}"), 400, "missing-field", "model");
    assertProblem(post("{\"model\":\"fm-ar\"}"), 400, "missing-field", "class_label");
  }

  @Test
  void anUnknownModelIs400() throws Exception {
    assertProblem(post("{\"model\":\"no-such-model\",\"class_label\":1}"), 400, "unknown-model",
        "model");
  }

  @Test
  void aClassOutOfRangeIs400() throws Exception {
    assertProblem(post("{\"model\":\"fm-ar\",\"class_label\":10}"), 400, "invalid-field",
        "class_label");
    assertProblem(post("{\"model\":\"fm-ar\",\"class_label\":-1}"), 400, "invalid-field",
        "class_label");
  }

  @Test
  void anUnknownOrUnsupportedStrategyIs400() throws Exception {
    assertProblem(post("{\"model\":\"fm-ar\",\"class_label\":1,\"strategy\":\"warp\"}"), 400,
        "unknown-strategy", "strategy");
    assertProblem(post("{\"model\":\"fm-ar\",\"class_label\":1,\"strategy\":\"par\"}"), 400,
        "unsupported-strategy", "strategy");
  }

  @Test
  void samplingParametersOutOfRangeAre400NamingTheField() throws Exception {
    assertProblem(post("{\"model\":\"fm-ar\",\"class_label\":1,\"temperature\":-1}"), 400,
        "invalid-field", "temperature");
    assertProblem(post("{\"model\":\"fm-ar\",\"class_label\":1,\"top_p\":0}"), 400,
        "invalid-field", "top_p");
    assertProblem(post("{\"model\":\"fm-ar\",\"class_label\":1,\"top_k\":-3}"), 400,
        "invalid-field", "top_k");
    assertProblem(post("{\"model\":\"fm-ar\",\"class_label\":1,\"cfg_scale\":99}"), 400,
        "invalid-field", "cfg_scale");
  }

  @Test
  void aNonJsonContentTypeIs415() throws Exception {
    assertProblem(api.post("/v1/generations", key, "text/plain", valid()), 415,
        "unsupported-media-type", null);
  }

  @Test
  void unknownOrForeignGenerationsAre404() throws Exception {
    assertProblem(api.get("/v1/generations/" + UUID.randomUUID(), key), 404, "not-found", null);
    assertProblem(api.get("/v1/generations/not-an-id", key), 404, "not-found", null);

    HttpResponse<String> mine = post(valid());
    assertThat(mine.statusCode()).as("own request accepted: " + mine.body()).isEqualTo(202);
    String id = EndToEndScenario.json(mine.body()).get("id").asText();
    String otherTenant = api.newTenantKey("other");
    assertProblem(api.get("/v1/generations/" + id, otherTenant), 404, "not-found", null);
    assertProblem(api.get("/v1/generations/" + id + "/image.png", otherTenant), 404, "not-found",
        null);
  }

  @Test
  void theImageOfAnUnfinishedGenerationIs409() throws Exception {
    TenantService tenants = context.getBean(TenantService.class);
    UUID tenant = tenants.ensureTenant("image-409-" + UUID.randomUUID());
    TenantService.IssuedKey issued = tenants.issueKey(tenant, "test");
    Caller caller = new Caller(tenant, issued.keyId());
    // a row for a model no worker serves: it stays QUEUED while we look
    GenerationRequest queued = new GenerationRequest(UUID.randomUUID().toString(),
        caller.tenantId().toString(), caller.apiKeyId().toString(), "unserved-model", 0,
        Strategy.AR, 1, SamplingParams.DEFAULT, StrategyParams.DEFAULT, Priority.NORMAL, null, 0,
        Instant.now().truncatedTo(ChronoUnit.MICROS));
    context.getBean(GenerationRepository.class).insertQueued(queued);

    assertProblem(api.get("/v1/generations/" + queued.id() + "/image.png", issued.key()), 409,
        "image-not-ready", null);
  }

  @Test
  void anUnknownRouteIs404ProblemNot500() throws Exception {
    assertProblem(api.get("/v1/nothing-here", key), 404, "not-found", null);
  }

  private HttpResponse<String> post(String body) throws Exception {
    return api.post("/v1/generations", key, "application/json", body);
  }

  private static String valid() {
    return "{\"model\":\"fm-ar\",\"class_label\":1}";
  }

  private static void assertProblem(HttpResponse<String> response, int status, String type,
      String field) throws Exception {
    assertThat(response.statusCode()).as("status of " + response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).as("problem content type")
        .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
    JsonNode problem = EndToEndScenario.json(response.body());
    assertThat(problem.path("type").asText()).as("problem type of " + response.body())
        .isEqualTo(PROBLEMS + type);
    assertThat(problem.path("status").asInt()).as("problem status").isEqualTo(status);
    assertThat(problem.path("title").asText()).as("problem title").isNotBlank();
    assertThat(problem.path("detail").asText()).as("problem detail").isNotBlank();
    if (field != null) {
      assertThat(problem.path("field").asText()).as("offending field of " + response.body())
          .isEqualTo(field);
    }
  }
}
