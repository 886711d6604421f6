package dev.tessera.gateway.problem;

import org.springframework.http.HttpStatus;

/** A backing service (PostgreSQL, Kafka) is down: 503, the client should retry later. */
public class ServiceUnavailableException extends ApiException {

  private final String service;

  public ServiceUnavailableException(String service, String detail, Throwable cause) {
    super(HttpStatus.SERVICE_UNAVAILABLE, ProblemType.SERVICE_UNAVAILABLE, detail, null);
    this.service = service;
    if (cause != null) {
      initCause(cause);
    }
  }

  /** Which service: {@code postgresql}, {@code kafka} or {@code redis}. */
  public String service() {
    return service;
  }
}
