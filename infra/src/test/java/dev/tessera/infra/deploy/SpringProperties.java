package dev.tessera.infra.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.gateway.GatewayProperties;
import dev.tessera.gateway.RedisProperties;
import dev.tessera.scheduler.SchedulerProperties;
import dev.tessera.worker.WorkerProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The Spring properties the services know: Spring Boot's (its configuration metadata) and Tessera's
 * (the components of the {@code @ConfigurationProperties} records). An environment variable of a
 * deployment file is matched to them by Spring's own rules for environment variables.
 */
final class SpringProperties {

  private static final List<Class<? extends Record>> TESSERA_RECORDS =
      List.of(GatewayProperties.class, RedisProperties.class, SchedulerProperties.class, WorkerProperties.class);
  private static final Pattern CAPITAL = Pattern.compile("([A-Z])");

  private static final Set<String> NAMES = names();

  private SpringProperties() {}

  /**
   * Whether Spring binds this environment variable to a property that some service reads. The source
   * must carry the system environment's name: only then does Spring map variable names to properties.
   */
  static boolean binds(String variable) {
    ConfigurationPropertySource environment =
        ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(variable, "x")))
            .iterator().next();
    String squashed = squash(variable);
    return NAMES.stream()
        .filter(name -> squash(name).equals(squashed)) // the candidates; Spring decides
        .anyMatch(name -> environment.getConfigurationProperty(ConfigurationPropertyName.of(name)) != null);
  }

  private static Set<String> names() {
    Set<String> names = new TreeSet<>();
    for (Class<? extends Record> properties : TESSERA_RECORDS) {
      String prefix = properties.getAnnotation(ConfigurationProperties.class).value();
      for (var component : properties.getRecordComponents()) {
        names.add(prefix + "." + kebab(component.getName()));
      }
    }
    names.addAll(springBootNames());
    return Collections.unmodifiableSet(names);
  }

  private static String squash(String name) {
    return name.replaceAll("[._-]", "").toUpperCase(Locale.ROOT);
  }

  private static String kebab(String camel) {
    Matcher capital = CAPITAL.matcher(camel);
    return capital.replaceAll(m -> "-" + m.group(1).toLowerCase(Locale.ROOT));
  }

  private static Set<String> springBootNames() {
    Set<String> names = new TreeSet<>();
    try {
      for (URL metadata : Collections.list(
          SpringProperties.class.getClassLoader().getResources("META-INF/spring-configuration-metadata.json"))) {
        try (InputStream in = metadata.openStream()) {
          for (JsonNode property : new ObjectMapper().readTree(in).path("properties")) {
            String name = property.path("name").asText();
            if (ConfigurationPropertyName.isValid(name)) {
              names.add(name);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return names;
  }
}
