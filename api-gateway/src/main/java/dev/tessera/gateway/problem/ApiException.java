package dev.tessera.gateway.problem;

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

  /** The offending field, or null. */
  public String field() {
    return field;
  }
}
