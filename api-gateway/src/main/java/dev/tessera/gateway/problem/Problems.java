package dev.tessera.gateway.problem;

import java.net.URI;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Builds every problem-details body the gateway answers, whichever layer refuses the request (the
 * controllers' advice, the {@code /error} page, Tomcat's own error report). The {@code detail} and
 * {@code field} quote client input, so both are cut and escaped ({@link Echo}); the {@code
 * instance} is the request path, cut too.
 */
public final class Problems {

  /** Longest {@code detail}, in characters. */
  static final int MAX_DETAIL = 500;

  /** Longest {@code field}, in characters. */
  static final int MAX_FIELD = 100;

  /** Longest {@code instance}, in characters. */
  static final int MAX_INSTANCE = 200;

  private Problems() {}

  /** A problem body; {@code field} and {@code instance} may be null. */
  public static ProblemDetail of(HttpStatusCode status, ProblemType type, String detail,
      String field, String instance) {
    ProblemDetail body = ProblemDetail.forStatusAndDetail(status,
        detail == null ? type.title() : Echo.text(detail, MAX_DETAIL));
    body.setType(type.uri());
    body.setTitle(type.title());
    body.setInstance(path(instance));
    if (field != null && !field.isEmpty()) {
      body.setProperty("field", Echo.text(field, MAX_FIELD));
    }
    return body;
  }

  /** The type of a status that the framework (Spring MVC, Tomcat) answered on its own. */
  public static ProblemType typeOf(int status) {
    return switch (status) {
      case 401 -> ProblemType.UNAUTHORIZED;
      case 404 -> ProblemType.NOT_FOUND;
      case 405 -> ProblemType.METHOD_NOT_ALLOWED;
      case 406 -> ProblemType.NOT_ACCEPTABLE;
      case 413, 414, 431 -> ProblemType.TOO_LARGE;
      case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
      case 503 -> ProblemType.SERVICE_UNAVAILABLE;
      default -> status >= 500 ? ProblemType.INTERNAL : ProblemType.BAD_REQUEST;
    };
  }

  /**
   * The request path as the {@code instance}: at most {@link #MAX_INSTANCE} characters of it (cut
   * back to a segment boundary if the cut breaks an escape), "/" if it is not a relative URI.
   * Never null: Spring MVC would fill a null one with the whole path.
   */
  private static URI path(String instance) {
    if (instance == null || !instance.startsWith("/")) {
      return URI.create("/");
    }
    String cut = instance.length() > MAX_INSTANCE ? instance.substring(0, MAX_INSTANCE) : instance;
    for (String candidate : new String[] {cut, cut.substring(0, cut.lastIndexOf('/') + 1)}) {
      try {
        URI uri = new URI(candidate);
        if (!uri.isAbsolute() && uri.getRawAuthority() == null) {
          return uri;
        }
      } catch (java.net.URISyntaxException e) {
        // try the next, shorter one
      }
    }
    return URI.create("/");
  }
}
