package dev.tessera.gateway.problem;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collection;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one place where exceptions become HTTP statuses: every error is an RFC 9457 problem-details
 * body ({@code application/problem+json}) with a machine-readable {@code type} and, where a field is
 * to blame, its name in {@code field}. A client's input never produces a 500.
 */
@RestControllerAdvice
class ApiExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ProblemDetail> api(ApiException e, HttpServletRequest request) {
    ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status());
    ProblemDetail body = problem(e.status(), e.type(), e.getMessage(), e.field(), request);
    e.headers().forEach(response::header);
    e.properties().forEach(body::setProperty);
    if (e.status() == HttpStatus.UNAUTHORIZED) {
      response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }
    if (e instanceof ServiceUnavailableException unavailable) {
      body.setProperty("service", unavailable.service());
      response.header(HttpHeaders.RETRY_AFTER, "5");
      log.warn("{} unavailable: {}", unavailable.service(), e.getMessage());
    }
    return response.contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
  }

  /** The body could not be read: malformed JSON, wrong types, unknown or null fields. */
  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e,
      HttpServletRequest request) {
    Throwable cause = e.getCause();
    if (cause instanceof UnrecognizedPropertyException u) {
      return bad(ProblemType.UNKNOWN_FIELD, path(u),
          "unknown field '" + path(u) + "'; known fields: " + u.getKnownPropertyIds().stream()
              .map(String::valueOf).sorted().collect(Collectors.joining(", ")), request);
    }
    if (cause instanceof InvalidNullException n) {
      return bad(ProblemType.WRONG_TYPE, path(n), "field '" + path(n) + "' must not be null", request);
    }
    if (cause instanceof ValueInstantiationException v) {
      return bad(ProblemType.INVALID_FIELD, path(v), rootMessage(v), request);
    }
    if (cause instanceof InvalidFormatException f) {
      return bad(ProblemType.WRONG_TYPE, path(f), "field '" + path(f) + "' must be "
          + typeName(f.getTargetType()) + ", was " + Echo.value(f.getValue()), request);
    }
    if (cause instanceof MismatchedInputException m) {
      return path(m).isEmpty()
          ? bad(ProblemType.WRONG_TYPE, null, "the body must be a JSON object", request)
          : bad(ProblemType.WRONG_TYPE, path(m), "field '" + path(m) + "' must be "
              + typeName(m.getTargetType()), request);
    }
    if (cause instanceof StreamConstraintsException c) {
      return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
          .contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .body(problem(HttpStatus.PAYLOAD_TOO_LARGE, ProblemType.TOO_LARGE,
              "the body is too large: " + c.getOriginalMessage(), null, request));
    }
    StreamReadException duplicate = duplicateField(cause);
    if (duplicate != null) {
      String name = duplicate.getProcessor() == null ? null : currentName(duplicate.getProcessor());
      String within = cause instanceof JsonMappingException m ? path(m) : "";
      String field = within.isEmpty() ? name
          : name == null || within.endsWith(name) ? within : within + "." + name;
      return bad(ProblemType.DUPLICATE_FIELD, field, duplicate.getOriginalMessage()
          + (within.isEmpty() ? "" : " in " + within) + "; every field may appear once", request);
    }
    if (cause instanceof JsonProcessingException j) {
      return bad(ProblemType.MALFORMED_JSON, null,
          "the body is not valid JSON: " + j.getOriginalMessage(), request);
    }
    return bad(ProblemType.MALFORMED_JSON, null, "a JSON request body is required", request);
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ProblemDetail> badPathOrQuery(MethodArgumentTypeMismatchException e,
      HttpServletRequest request) {
    return bad(ProblemType.INVALID_FIELD, e.getName(),
        "parameter '" + e.getName() + "' has an invalid value", request);
  }

  /** Spring MVC's own errors (404 route, 405, 415, 406, ...) keep their status, in our format. */
  @ExceptionHandler({NoResourceFoundException.class, HttpRequestMethodNotSupportedException.class,
      HttpMediaTypeNotSupportedException.class, HttpMediaTypeNotAcceptableException.class})
  ResponseEntity<ProblemDetail> framework(ErrorResponse e, HttpServletRequest request) {
    HttpStatusCode status = e.getStatusCode();
    ProblemType type = switch (status.value()) {
      case 404 -> ProblemType.NOT_FOUND;
      case 405 -> ProblemType.METHOD_NOT_ALLOWED;
      case 406 -> ProblemType.NOT_ACCEPTABLE;
      case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
      default -> ProblemType.BAD_REQUEST;
    };
    ProblemDetail body = problem(status, type, e.getBody().getDetail(), null, request);
    return ResponseEntity.status(status).headers(e.getHeaders())
        .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
  }

  /** A multipart body the container could not parse (the API takes none). */
  @ExceptionHandler(MultipartException.class)
  ResponseEntity<ProblemDetail> multipart(MultipartException e, HttpServletRequest request) {
    return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ProblemType.UNSUPPORTED_MEDIA_TYPE,
            "the API takes no multipart bodies; send application/json", null, request));
  }

  /** PostgreSQL is unreachable or overloaded. */
  @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class,
      CannotCreateTransactionException.class})
  ResponseEntity<ProblemDetail> database(Exception e, HttpServletRequest request) {
    return api(new ServiceUnavailableException("postgresql",
        "the database is unavailable; retry later", e), request);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
    if (e instanceof ErrorResponse er && er.getStatusCode().is4xxClientError()) {
      ProblemDetail body = problem(er.getStatusCode(), ProblemType.BAD_REQUEST,
          er.getBody().getDetail(), null, request);
      return ResponseEntity.status(er.getStatusCode())
          .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }
    log.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
    return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem(HttpStatus.INTERNAL_SERVER_ERROR, ProblemType.INTERNAL,
            "internal error; it has been logged", null, request));
  }

  private static ResponseEntity<ProblemDetail> bad(ProblemType type, String field, String detail,
      HttpServletRequest request) {
    return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem(HttpStatus.BAD_REQUEST, type, detail, field, request));
  }

  private static ProblemDetail problem(HttpStatusCode status, ProblemType type, String detail,
      String field, HttpServletRequest request) {
    return Problems.of(status, type, detail, field, request.getRequestURI());
  }

  /** The parser's refusal of a field sent twice in one object, if that is the cause. */
  private static StreamReadException duplicateField(Throwable cause) {
    for (Throwable t = cause; t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof StreamReadException r && r.getOriginalMessage() != null
          && r.getOriginalMessage().startsWith("Duplicate field")) {
        return r;
      }
    }
    return null;
  }

  /** The name of the field a parser is at, or null. */
  private static String currentName(JsonParser parser) {
    try {
      return parser.currentName();
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Dotted JSON path of the offending field, array indexes in brackets, e.g. {@code class_label}
   * or {@code requests[3].class_label}.
   */
  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
      } else {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String typeName(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (Number.class.isAssignableFrom(type) || type == double.class) {
      return "a number";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "a boolean";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    if (type.isRecord()) {
      return "a JSON object";
    }
    return "a " + type.getSimpleName();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
