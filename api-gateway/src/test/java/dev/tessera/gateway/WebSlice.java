package dev.tessera.gateway;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.PropertySource;

/**
 * The configuration of the gateway's {@code @WebMvcTest} slices (name it in
 * {@code @ContextConfiguration}). {@link GatewayApplication} would import the whole {@link
 * GatewayConfiguration} (Redis, Kafka, PostgreSQL); this one scans the gateway through the slice's
 * filter (the controllers named, the exception handler, filters, the caller resolver) and adds the
 * API's JSON settings and properties, so that the slice parses and answers as the gateway does.
 */
@SpringBootConfiguration
@ComponentScan(basePackages = "dev.tessera.gateway",
    excludeFilters = @ComponentScan.Filter(type = FilterType.CUSTOM,
        classes = TypeExcludeFilter.class))
@EnableConfigurationProperties(PublicUrlProperties.class)
@PropertySource("classpath:tessera-gateway.properties")
public class WebSlice {

  @Bean
  Jackson2ObjectMapperBuilderCustomizer tesseraApiJson() {
    return new GatewayConfiguration().tesseraApiJson();
  }
}
