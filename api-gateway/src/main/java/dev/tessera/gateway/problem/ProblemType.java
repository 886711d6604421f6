package dev.tessera.gateway.problem;

import java.net.URI;

/**
 * The machine-readable {@code type} of every problem-details body (RFC 9457) the API answers. Clients
 * branch on these URIs; the title is for people.
 */
public enum ProblemType {
  MALFORMED_JSON("malformed-json", "The request body is not valid JSON"),
  MISSING_FIELD("missing-field", "A required field is missing"),
  UNKNOWN_FIELD("unknown-field", "The request has a field the API does not know"),
  WRONG_TYPE("wrong-type", "A field has the wrong JSON type"),
  INVALID_FIELD("invalid-field", "A field has a value out of its range"),
  UNKNOWN_MODEL("unknown-model", "No served model has this name"),
  UNKNOWN_STRATEGY("unknown-strategy", "No decoding strategy has this name"),
  UNSUPPORTED_STRATEGY("unsupported-strategy", "The model does not decode with this strategy"),
  UNAUTHORIZED("unauthorized", "Missing or invalid API key"),
  NOT_FOUND("not-found", "No such resource"),
  RATE_LIMITED("rate-limited", "Too many requests per second for this tenant"),
  IN_FLIGHT_LIMITED("in-flight-limited", "Too many unfinished requests for this tenant"),
  QUOTA_EXCEEDED("quota-exceeded", "The tenant's monthly image quota is used up"),
  IDEMPOTENCY_KEY_REUSED("idempotency-key-reused",
      "This Idempotency-Key was already used with a different request body"),
  TENANT_EXISTS("tenant-exists", "A tenant with this name exists"),
  IMAGE_NOT_READY("image-not-ready", "The generation has no image (yet)"),
  ALREADY_FINISHED("already-finished", "The generation has already ended"),
  ALREADY_REPLAYED("already-replayed", "The dead letter has already been replayed"),
  NOT_REPLAYABLE("not-replayable", "The dead letter cannot be replayed"),
  METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed"),
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Send the body as application/json"),
  NOT_ACCEPTABLE("not-acceptable", "The requested representation is not available"),
  DUPLICATE_FIELD("duplicate-field", "A JSON object has the same field twice"),
  TOO_LARGE("too-large", "The request (body, URI or headers) is too large"),
  BAD_REQUEST("bad-request", "Bad request"),
  SERVICE_UNAVAILABLE("service-unavailable", "A backing service is unavailable; retry later"),
  INTERNAL("internal", "Internal error");

  /** Base of every type URI. */
  public static final String BASE = "https://tessera.dev/problems/";

  private final String slug;
  private final String title;

  ProblemType(String slug, String title) {
    this.slug = slug;
    this.title = title;
  }

  /** The {@code type} member. */
  public URI uri() {
    return URI.create(BASE + slug);
  }

  /** The {@code title} member. */
  public String title() {
    return title;
  }
}
