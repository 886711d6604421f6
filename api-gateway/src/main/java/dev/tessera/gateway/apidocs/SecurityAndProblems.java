package dev.tessera.gateway.apidocs;

import dev.tessera.gateway.auth.Admin;
import dev.tessera.gateway.auth.Caller;
import dev.tessera.gateway.problem.ProblemType;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.method.HandlerMethod;

/**
 * Who may call each operation, and the problem-details responses it may answer. Security comes
 * from the handler's parameters: a {@link Caller} needs an API key, an {@link Admin} the admin
 * token, a raw {@code Authorization} header either. Problems follow the rules of
 * {@code ApiExceptionHandler}: 401 with credentials, 404 with a path id, 400 with input, 415 with
 * a JSON body, 503 when a backing service is down, plus the conflicts and limits of particular
 * operations.
 */
final class SecurityAndProblems {

  static final String PROBLEM = "Problem";
  static final String PROBLEM_JSON = "application/problem+json";

  private static final Map<Integer, String> STATUS_TEXT = Map.of(
      400, "Invalid input: the problem's `field` names what to fix",
      401, "Missing, malformed, unknown or revoked credentials",
      404, "No such resource, or another tenant's",
      409, "Conflicts with the resource's state",
      415, "The body must be application/json",
      422, "The Idempotency-Key was used with another body",
      429, "A tenant limit (rate, in flight, monthly quota); see Retry-After",
      503, "A backing service (PostgreSQL, Kafka, Redis) is unavailable; see Retry-After");

  /** Statuses particular operations answer besides the general ones, by "METHOD path". */
  private static final Map<String, List<Integer>> SPECIFIC = Map.of(
      "POST /v1/generations", List.of(422, 429),
      "POST /v1/batches", List.of(422, 429),
      "DELETE /v1/generations/{id}", List.of(409),
      "GET /v1/generations/{id}/image.png", List.of(409),
      "POST /v1/admin/dead-letters/{id}/replay", List.of(409),
      "POST /admin/dead-letters/{id}/replay", List.of(409),
      "POST /admin/tenants", List.of(409));

  /** Success statuses other than 200 (the handlers answer them through ResponseEntity). */
  private static final Map<String, String> SUCCESS = Map.of(
      "POST /v1/generations", "202",
      "POST /v1/batches", "202",
      "POST /admin/tenants", "201",
      "POST /admin/tenants/{id}/keys", "201",
      "POST /admin/tenants/{id}/webhooks", "201",
      "DELETE /admin/keys/{keyId}", "204",
      "DELETE /admin/webhooks/{id}", "204",
      "POST /v1/admin/dead-letters/{id}/replay", "202",
      "POST /admin/dead-letters/{id}/replay", "202");

  private SecurityAndProblems() {}

  /** Sets the operation's security from its handler's parameters. */
  static Operation security(Operation operation, HandlerMethod handler) {
    boolean apiKey = false;
    boolean admin = false;
    for (MethodParameter p : handler.getMethodParameters()) {
      apiKey |= p.getParameterType() == Caller.class;
      admin |= p.getParameterType() == Admin.class;
      RequestHeader header = p.getParameterAnnotation(RequestHeader.class);
      if (header != null && (HttpHeaders.AUTHORIZATION.equalsIgnoreCase(header.name())
          || HttpHeaders.AUTHORIZATION.equalsIgnoreCase(header.value()))) {
        apiKey = true;
        admin = true;
      }
    }
    List<SecurityRequirement> security = new ArrayList<>();
    if (apiKey) {
      security.add(new SecurityRequirement().addList(ApiDocsConfiguration.API_KEY));
    }
    if (admin) {
      security.add(new SecurityRequirement().addList(ApiDocsConfiguration.ADMIN_TOKEN));
    }
    if (!security.isEmpty()) {
      operation.setSecurity(security);
    }
    if (operation.getParameters() != null) { // the schemes describe the header
      operation.getParameters().removeIf(p -> "header".equals(p.getIn())
          && HttpHeaders.AUTHORIZATION.equalsIgnoreCase(p.getName()));
    }
    return operation;
  }

  /** Adds the Problem schema and every operation's problem responses. */
  static void problems(OpenAPI openApi) {
    openApi.getComponents().addSchemas(PROBLEM, problemSchema());
    if (openApi.getPaths() == null) {
      return;
    }
    openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
      TreeSet<Integer> statuses = new TreeSet<>(List.of(503));
      if (op.getSecurity() != null && !op.getSecurity().isEmpty()) {
        statuses.add(401);
      }
      if (path.contains("{")) {
        statuses.add(404);
      }
      boolean hasParameters = op.getParameters() != null && !op.getParameters().isEmpty();
      if (op.getRequestBody() != null || hasParameters) {
        statuses.add(400);
      }
      if (op.getRequestBody() != null) {
        statuses.add(415);
      }
      statuses.addAll(SPECIFIC.getOrDefault(method + " " + path, List.of()));
      ApiResponses responses = op.getResponses() == null ? new ApiResponses() : op.getResponses();
      String success = SUCCESS.get(method + " " + path);
      if (success != null && responses.containsKey("200")) {
        ApiResponse ok = responses.remove("200");
        if (success.equals("204")) {
          ok.setContent(null);
          ok.setDescription("Done; no body");
        } else {
          ok.setDescription(success.equals("201") ? "Created" : "Accepted");
        }
        responses.put(success, ok);
      }
      for (int status : statuses) {
        responses.putIfAbsent(Integer.toString(status), new ApiResponse()
            .description(STATUS_TEXT.get(status))
            .content(new Content().addMediaType(PROBLEM_JSON,
                new MediaType().schema(Schemas.ref(PROBLEM)))));
      }
      op.setResponses(responses);
      fixMediaTypes(path, method, op);
    }));
  }

  /** The PNG and the event stream are not JSON. */
  private static void fixMediaTypes(String path, PathItem.HttpMethod method, Operation op) {
    ApiResponse ok = op.getResponses().get("200");
    if (ok == null || method != PathItem.HttpMethod.GET) {
      return;
    }
    if (path.endsWith("/image.png")) {
      Schema<Object> png = Schemas.of("string");
      png.setFormat("binary");
      ok.description("The PNG (32×32 greyscale for the shipped models)")
          .content(new Content().addMediaType("image/png", new MediaType().schema(png)));
    } else if (path.endsWith("/events")) {
      ok.description("""
              Server-sent events, one per state (`event:` the state in lower case, `id:` \
              state-attempt, `data:` the generation as JSON), the current one first, ending \
              after a terminal one""")
          .content(new Content().addMediaType("text/event-stream",
              new MediaType().schema(Schemas.of("string"))));
    }
  }

  private static Schema<Object> problemSchema() {
    Schema<Object> type = Schemas.of("string");
    type.setFormat("uri");
    StringBuilder types = new StringBuilder("Machine-readable problem type:");
    List<Object> uris = new ArrayList<>();
    for (ProblemType t : ProblemType.values()) {
      uris.add(t.uri().toString());
      types.append("\n- `").append(t.uri()).append("`: ").append(t.title());
    }
    type.setEnum(uris);
    type.setDescription(types.toString());
    Map<String, Schema> properties = new LinkedHashMap<>();
    properties.put("type", type);
    properties.put("title", Schemas.of("string").description("The type's title, for people"));
    properties.put("status", Schemas.of("integer").description("The HTTP status"));
    properties.put("detail", Schemas.of("string").description("What went wrong, this time"));
    properties.put("instance", Schemas.of("string").description("The request path"));
    properties.put("field", Schemas.of("string").description(
        "The JSON field, query parameter or header to fix, e.g. `class_label`, "
            + "`requests[3].seed`, `Idempotency-Key`"));
    properties.put("service", Schemas.of("string").description(
        "With 503: the backing service that is down (postgresql, kafka, redis)"));
    Schema<Object> problem = Schemas.of("object");
    problem.setProperties(properties);
    problem.setRequired(Arrays.asList("type", "title", "status"));
    problem.setDescription("RFC 9457 problem details (`application/problem+json`)");
    problem.setExample(Map.of("type", ProblemType.INVALID_FIELD.uri().toString(),
        "title", ProblemType.INVALID_FIELD.title(), "status", 400,
        "detail", "class_label must be in [0, 9] for model fm-ar, was 12",
        "instance", "/v1/generations", "field", "class_label"));
    return problem;
  }
}
