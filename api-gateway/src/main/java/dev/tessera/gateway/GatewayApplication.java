package dev.tessera.gateway;

import dev.tessera.process.ParentWatch;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * Runs the gateway alone, against the Kafka ({@code spring.kafka.bootstrap-servers}), PostgreSQL
 * ({@code spring.datasource.url}) and Redis ({@code tessera.redis.address}) in its configuration.
 */
@SpringBootApplication
@Import(GatewayConfiguration.class)
public class GatewayApplication {

  public static void main(String[] args) {
    ParentWatch.startIfAsked(); // started by ./tessera serve --workers N: stop with it
    SpringApplication.run(GatewayApplication.class, args);
  }
}
