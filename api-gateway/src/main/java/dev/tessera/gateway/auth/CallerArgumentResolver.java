package dev.tessera.gateway.auth;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Resolves a {@link Caller} controller parameter from the bearer key. Declared first in a handler's
 * parameters, it runs before the body is read, so a missing key is a 401 whatever the body holds.
 */
@Component
public class CallerArgumentResolver implements HandlerMethodArgumentResolver {

  private final Authenticator authenticator;

  CallerArgumentResolver(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return parameter.getParameterType() == Caller.class;
  }

  @Override
  public Caller resolveArgument(MethodParameter parameter, ModelAndViewContainer mav,
      NativeWebRequest request, WebDataBinderFactory binders) {
    return authenticator.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION));
  }
}
