package dev.tessera.scheduler;

import dev.tessera.process.ParentWatch;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Import;

/**
 * Runs the scheduler alone, against the Kafka ({@code spring.kafka.bootstrap-servers}) and
 * PostgreSQL ({@code spring.datasource.url}) in its configuration. The schema is the gateway's.
 * Health and metrics on {@code server.port} (default 8081): {@code /actuator/prometheus}.
 */
@SpringBootApplication
@Import(SchedulerConfiguration.class)
public class SchedulerApplication {

  public static void main(String[] args) {
    ParentWatch.startIfAsked(); // started by ./tessera serve --workers N: stop with it
    new SpringApplicationBuilder(SchedulerApplication.class)
        .properties("server.port=8081") // a default: beside a gateway on 8080
        .run(args);
  }
}
