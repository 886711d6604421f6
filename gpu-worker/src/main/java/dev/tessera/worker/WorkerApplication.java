package dev.tessera.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/** Runs a worker alone, against the Kafka in its configuration ({@code spring.kafka.bootstrap-servers}). */
@SpringBootApplication
@Import(WorkerConfiguration.class)
public class WorkerApplication {

  public static void main(String[] args) {
    SpringApplication.run(WorkerApplication.class, args);
  }
}
