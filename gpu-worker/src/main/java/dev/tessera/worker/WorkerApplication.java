package dev.tessera.worker;

import dev.tessera.process.ParentWatch;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Import;

/**
 * Runs a worker alone, against the Kafka in its configuration ({@code
 * spring.kafka.bootstrap-servers}). Health and metrics on {@code server.port} (default 8082): {@code
 * /actuator/prometheus}.
 */
@SpringBootApplication
@Import(WorkerConfiguration.class)
public class WorkerApplication {

  public static void main(String[] args) {
    ParentWatch.startIfAsked(); // started by ./tessera serve --workers N: stop with it
    new SpringApplicationBuilder(WorkerApplication.class)
        .properties("server.port=8082") // a default: beside a gateway and a scheduler
        .run(args);
  }
}
