package dev.tessera.scheduler;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * Runs the scheduler alone, against the Kafka ({@code spring.kafka.bootstrap-servers}) and
 * PostgreSQL ({@code spring.datasource.url}) in its configuration. The schema is the gateway's.
 */
@SpringBootApplication
@Import(SchedulerConfiguration.class)
public class SchedulerApplication {

  public static void main(String[] args) {
    SpringApplication.run(SchedulerApplication.class, args);
  }
}
