package dev.tessera.gateway.problem;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, with 415, a {@code Content-Type} that names no concrete media type ({@code *}{@code /*},
 * {@code application/*}), cannot be parsed, or names a charset this JVM does not know: Spring MVC
 * would fail on those with an unexpected exception when it reads the body. The refusal goes through
 * the error page, so it is a problem-details body like every other.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class ContentTypeFilter extends OncePerRequestFilter {

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
      FilterChain chain) throws ServletException, IOException {
    String header = request.getContentType();
    String refusal = header == null ? null : refusal(header);
    if (refusal != null) {
      response.sendError(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, refusal);
      return;
    }
    chain.doFilter(request, response);
  }

  /** Why a Content-Type value is refused, or null if it is usable. */
  static String refusal(String header) {
    try {
      MediaType type = MediaType.parseMediaType(header);
      if (type.isWildcardType() || type.isWildcardSubtype()) {
        return "Content-Type '" + Echo.value(header) + "' is not a concrete media type; send "
            + "application/json";
      }
      type.getCharset(); // an unknown charset throws here
      return null;
    } catch (IllegalArgumentException e) { // InvalidMediaTypeException, an unknown charset
      return "Content-Type '" + Echo.value(header) + "' cannot be used: " + Echo.value(
          e.getMessage());
    }
  }
}
