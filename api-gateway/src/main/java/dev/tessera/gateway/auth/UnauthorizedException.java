package dev.tessera.gateway.auth;

import dev.tessera.gateway.problem.ApiException;
import dev.tessera.gateway.problem.ProblemType;
import org.springframework.http.HttpStatus;

/** Missing, malformed, unknown or revoked API key: 401. */
public class UnauthorizedException extends ApiException {

  public UnauthorizedException(String detail) {
    super(HttpStatus.UNAUTHORIZED, ProblemType.UNAUTHORIZED, detail, "Authorization");
  }
}
