package dev.tessera.infra.local;

import dev.tessera.gateway.GatewayConfiguration;
import dev.tessera.scheduler.SchedulerConfiguration;
import dev.tessera.worker.WorkerConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Gateway, scheduler and worker in one Spring context. Each module brings its own configuration;
 * they talk only through Kafka and PostgreSQL, exactly as when they run as separate processes.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({GatewayConfiguration.class, SchedulerConfiguration.class, WorkerConfiguration.class})
public class TesseraApplication {}
