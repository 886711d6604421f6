package dev.tessera.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.gateway.problem.ProblemType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The OpenAPI document at {@code /v3/api-docs} is the contract: every operation the gateway maps
 * is in it and every operation in it is mapped (the handler mapping of the running application is
 * compared with the document), each says how to authenticate and which problems it answers, its
 * schemas use the wire's snake_case names, and the UI at {@code /docs} is served from the
 * application itself.
 */
@TesseraStackTest
class ApiContractTest {

  private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch",
      "head", "options");

  private final ApplicationContext context;
  private final EndToEndScenario api;
  private final int port;

  ApiContractTest(ApplicationContext context, @LocalServerPort int port) {
    this.context = context;
    this.port = port;
    this.api = new EndToEndScenario(context, port);
  }

  /** "METHOD /path/{var}" of every operation of Tessera's controllers. */
  private Set<String> mapped() {
    RequestMappingHandlerMapping mapping =
        context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
    Set<String> operations = new TreeSet<>();
    for (Map.Entry<RequestMappingInfo, HandlerMethod> e : mapping.getHandlerMethods().entrySet()) {
      if (!e.getValue().getBeanType().getPackageName().startsWith("dev.tessera")
          || org.springframework.boot.web.servlet.error.ErrorController.class
              .isAssignableFrom(e.getValue().getBeanType())) {
        continue; // the servlet container's /error: no operation of the API (asked for, a 404)
      }
      RequestMappingInfo info = e.getKey();
      assertThat(info.getMethodsCondition().getMethods()).as("%s declares its method", info)
          .isNotEmpty();
      for (String path : info.getPatternValues()) {
        info.getMethodsCondition().getMethods().forEach(m -> operations.add(m.name() + " " + path));
      }
    }
    return operations;
  }

  private JsonNode document() throws Exception {
    HttpResponse<String> response = api.get("/v3/api-docs", null);
    assertThat(response.statusCode()).as("the document is served: " + response.body())
        .isEqualTo(200);
    java.nio.file.Files.writeString(java.nio.file.Path.of("target/openapi.json"), response.body());
    return EndToEndScenario.json(response.body());
  }

  private static Set<String> documented(JsonNode doc) {
    Set<String> operations = new TreeSet<>();
    doc.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
        .forEachRemaining(method -> {
          if (HTTP_METHODS.contains(method)) {
            operations.add(method.toUpperCase() + " " + path.getKey());
          }
        }));
    return operations;
  }

  /** What one set has and the other lacks, both ways. */
  record Diff(Set<String> undocumented, Set<String> unmapped) {
    static Diff of(Set<String> mapped, Set<String> documented) {
      Set<String> undocumented = new TreeSet<>(mapped);
      undocumented.removeAll(documented);
      Set<String> unmapped = new TreeSet<>(documented);
      unmapped.removeAll(mapped);
      return new Diff(undocumented, unmapped);
    }
  }

  @Test
  void everyMappedOperationIsDocumentedAndEveryDocumentedOneIsMapped() throws Exception {
    Set<String> mapped = mapped();
    JsonNode doc = document();
    Set<String> documented = documented(doc);
    assertThat(mapped).as("the public and admin API").contains("POST /v1/generations",
        "GET /v1/generations", "GET /v1/generations/{id}", "POST /admin/tenants",
        "GET /v1/admin/generations");
    Diff diff = Diff.of(mapped, documented);
    assertThat(diff.undocumented()).as("mapped but missing from /v3/api-docs").isEmpty();
    assertThat(diff.unmapped()).as("documented but not mapped").isEmpty();
    assertThat(doc.path("openapi").asText()).as("OpenAPI version").startsWith("3.1");
  }

  @Test
  void theComparisonNoticesAMissingOperationAndAnInventedOne() throws Exception {
    Set<String> mapped = mapped();
    Set<String> documented = new TreeSet<>(documented(document()));
    documented.remove("GET /v1/generations/{id}");
    documented.add("GET /v1/invented");
    Diff diff = Diff.of(mapped, documented);
    assertThat(diff.undocumented()).containsExactly("GET /v1/generations/{id}");
    assertThat(diff.unmapped()).containsExactly("GET /v1/invented");
  }

  @Test
  void operationsSaySecurityProblemsAndSchemasInTheWireNames() throws Exception {
    JsonNode doc = document();
    JsonNode schemes = doc.path("components").path("securitySchemes");
    assertThat(schemes.path("apiKey").path("scheme").asText()).isEqualTo("bearer");
    assertThat(schemes.path("adminToken").path("scheme").asText()).isEqualTo("bearer");

    JsonNode submit = doc.path("paths").path("/v1/generations").path("post");
    assertThat(submit.path("security").toString()).as("submit needs an API key")
        .contains("apiKey").doesNotContain("adminToken");
    for (String status : new String[] {"202", "400", "401", "415", "422", "429", "503"}) {
      assertThat(submit.path("responses").has(status)).as("submit answers " + status).isTrue();
    }
    assertThat(submit.path("responses").path("400").path("content")
        .has("application/problem+json")).as("problems are problem+json").isTrue();
    assertThat(doc.path("paths").path("/admin/tenants").path("post").path("security").toString())
        .as("admin needs the admin token").contains("adminToken").doesNotContain("apiKey");
    assertThat(doc.path("paths").path("/v1/generations/{id}/image.png").path("get")
        .path("responses").path("200").path("content").has("image/png")).as("PNG").isTrue();

    // every operation declares its problems; none lists the Authorization header as a parameter
    doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields()
        .forEachRemaining(op -> {
          assertThat(op.getValue().path("responses").has("503"))
              .as(op.getKey() + " " + path.getKey() + " declares 503").isTrue();
          assertThat(op.getValue().path("parameters").toString())
              .as(op.getKey() + " " + path.getKey()).doesNotContain("\"Authorization\"");
        }));

    JsonNode schemas = doc.path("components").path("schemas");
    JsonNode body = schemas.path("CreateGenerationBody");
    assertThat(body.path("properties").has("class_label")).as("snake_case properties: " + body)
        .isTrue();
    assertThat(body.path("example").path("model").asText()).as("an example").isEqualTo("fm-ar");
    JsonNode problemTypes = schemas.path("Problem").path("properties").path("type").path("enum");
    for (ProblemType t : ProblemType.values()) {
      assertThat(problemTypes.toString()).as("problem type " + t).contains(t.uri().toString());
    }
  }

  @Test
  void theInteractiveDocsAreServedFromTheGatewayItself() throws Exception {
    HttpClient follow = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    HttpResponse<String> page = follow.send(HttpRequest.newBuilder(
        URI.create("http://localhost:" + port + "/docs")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).as("/docs").isEqualTo(200);
    assertThat(page.body()).contains("swagger-ui");
    Matcher external = Pattern.compile("(src|href)=\"(https?:)?//").matcher(page.body());
    assertThat(external.find()).as("nothing fetched from another origin").isFalse();
    HttpResponse<String> config = api.get("/v3/api-docs/swagger-config", null);
    assertThat(config.statusCode()).isEqualTo(200);
    assertThat(config.body()).contains("/v3/api-docs");
  }

}
