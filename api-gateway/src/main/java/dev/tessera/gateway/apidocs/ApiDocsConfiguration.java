package dev.tessera.gateway.apidocs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.gateway.auth.Admin;
import dev.tessera.gateway.auth.Caller;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document's own parts: title, the two bearer schemes, snake_case schemas (the API's
 * JSON naming, from the application's {@link ObjectMapper}), per-operation security and problem
 * responses ({@link SecurityAndProblems}), and examples ({@link Examples}). {@link Caller} and
 * {@link Admin} parameters come from the Authorization header, so they are not parameters of the
 * document; the schemes say how to authenticate instead.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocsConfiguration {

  /** Scheme of the tenants' API keys. */
  static final String API_KEY = "apiKey";
  /** Scheme of the operator's admin token. */
  static final String ADMIN_TOKEN = "adminToken";

  static {
    SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class, Admin.class);
  }

  @Bean
  OpenAPI tesseraOpenApi() {
    return new OpenAPI()
        .info(new Info().title("Tessera API").version("v1")
            .description("""
                Queued generation of images by visual autoregressive models. Submit a generation \
                (202 with its id), follow it (poll, server-sent events or a webhook), download \
                its PNG. Errors are RFC 9457 problem details whose `type` is one of the URIs \
                listed in the `Problem` schema.""")
            .license(new License().name("see the repository")))
        .components(new Components()
            .addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("bearer").bearerFormat("tsk_<prefix>_<secret>")
                .description("A tenant's API key: `Authorization: Bearer tsk_...`"))
            .addSecuritySchemes(ADMIN_TOKEN, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("bearer")
                .description("The operator's admin token (`tessera.gateway.admin-token`)")));
  }

  /** Schemas named and shaped as the API's JSON: snake_case, nulls left out. */
  @Bean
  ModelResolver tesseraModelResolver(ObjectMapper mapper) {
    return new ModelResolver(mapper);
  }

  @Bean
  OperationCustomizer tesseraSecurity() {
    return SecurityAndProblems::security;
  }

  @Bean
  OpenApiCustomizer tesseraProblemsAndExamples() {
    return openApi -> {
      SecurityAndProblems.problems(openApi);
      Examples.add(openApi);
    };
  }
}
