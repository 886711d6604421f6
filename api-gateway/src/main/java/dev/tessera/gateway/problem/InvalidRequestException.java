package dev.tessera.gateway.problem;

import org.springframework.http.HttpStatus;

/** A request body field is missing, out of range, or names something that does not exist: 400. */
public class InvalidRequestException extends ApiException {

  public InvalidRequestException(ProblemType type, String field, String detail) {
    super(HttpStatus.BAD_REQUEST, type, detail, field);
  }
}
