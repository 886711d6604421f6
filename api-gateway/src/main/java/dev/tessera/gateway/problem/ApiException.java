package dev.tessera.gateway.problem;

import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * An error the API answers with a problem-details body. Subclasses fix the status and type; the
 * {@code field} (JSON field, header or path variable) tells the client what to fix.
 */
public class ApiException extends RuntimeException {

  private final HttpStatus status;
  private final ProblemType type;
  private final String field;

  public ApiException(HttpStatus status, ProblemType type, String detail, String field) {
    super(detail);
    this.status = status;
    this.type = type;
    this.field = field;
  }

  public HttpStatus status() {
    return status;
  }

  public ProblemType type() {
    return type;
  }

  /** Response headers that go with the problem (e.g. {@code Retry-After}); none by default. */
  public Map<String, String> headers() {
    return Map.of();
  }

  /** Extra members of the problem body; none by default. */
  public Map<String, Object> properties() {
    return Map.of();
  }

  /** The offending field, or null. */
  public String field() {
    return field;
  }
}
