package dev.tessera.gateway.problem;

import org.springframework.http.HttpStatus;

/** No such resource for this caller (another tenant's ids are not found either): 404. */
public class NotFoundException extends ApiException {

  public NotFoundException(String detail) {
    super(HttpStatus.NOT_FOUND, ProblemType.NOT_FOUND, detail, null);
  }
}
