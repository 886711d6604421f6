package dev.tessera.gateway.auth;

import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Registers {@link CallerArgumentResolver}, so that controllers can take a {@link Caller}. */
@Component
class CallerResolverRegistration implements WebMvcConfigurer {

  private final CallerArgumentResolver resolver;

  CallerResolverRegistration(CallerArgumentResolver resolver) {
    this.resolver = resolver;
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(resolver);
  }
}
