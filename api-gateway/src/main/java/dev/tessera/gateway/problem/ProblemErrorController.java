package dev.tessera.gateway.problem;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page ({@code /error}), in place of Spring Boot's: what reaches it
 * (a {@code sendError}, an exception thrown outside the controllers, e.g. in a filter) is answered
 * as a problem-details body. Asked for directly, {@code /error} is a route like any unknown one:
 * 404.
 */
@RestController
@io.swagger.v3.oas.annotations.Hidden // the servlet container's error path, no operation of the API
class ProblemErrorController implements ErrorController {

  private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

  @RequestMapping("${server.error.path:/error}")
  ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    String uri = (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    if (!(code instanceof Integer status)) { // not forwarded here by the container
      return answer(HttpStatus.NOT_FOUND, ProblemType.NOT_FOUND, "no route " + request.getMethod()
          + " " + request.getRequestURI(), request.getRequestURI());
    }
    Throwable exception = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
    String message = (String) request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
    HttpStatusCode statusCode = HttpStatusCode.valueOf(status);
    if (exception instanceof ErrorResponse e) {
      statusCode = e.getStatusCode();
      message = e.getBody().getDetail();
    }
    if (statusCode.is5xxServerError()) {
      log.error("error page for {} {}: status {}", request.getMethod(), uri, status, exception);
      message = statusCode.value() == 503 ? "a backing service is unavailable; retry later"
          : "internal error; it has been logged";
    }
    return answer(statusCode, Problems.typeOf(statusCode.value()),
        message == null || message.isBlank() ? null : message, uri);
  }

  private static ResponseEntity<ProblemDetail> answer(HttpStatusCode status, ProblemType type,
      String detail, String uri) {
    ResponseEntity.BodyBuilder response = ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    if (status.value() == 503) {
      response.header(HttpHeaders.RETRY_AFTER, "5");
    }
    return response.body(Problems.of(status, type, detail, null, uri));
  }
}
