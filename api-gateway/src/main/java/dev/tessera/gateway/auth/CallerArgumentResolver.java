package dev.tessera.gateway.auth;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Resolves a {@link Caller} controller parameter from the bearer key, and an {@link Admin} one from
 * the admin token. Declared first in a handler's
 * parameters, it runs before the body is read, so a missing key is a 401 whatever the body holds.
 */
@Component
public class CallerArgumentResolver implements HandlerMethodArgumentResolver {

  private final Authenticator authenticator;
  private final AdminAuthenticator admins;

  CallerArgumentResolver(Authenticator authenticator, AdminAuthenticator admins) {
    this.authenticator = authenticator;
    this.admins = admins;
  }

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return parameter.getParameterType() == Caller.class
        || parameter.getParameterType() == Admin.class;
  }

  @Override
  public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav,
      NativeWebRequest request, WebDataBinderFactory binders) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    return parameter.getParameterType() == Admin.class ? admins.authenticate(header)
        : authenticator.authenticate(header);
  }
}
