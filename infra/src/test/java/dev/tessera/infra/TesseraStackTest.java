package dev.tessera.infra;

import dev.tessera.infra.local.TesseraApplication;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole system (gateway, scheduler, worker) on a random port against the shared embedded
 * servers, with a tiny random-weights model so that an image decodes in well under a second. Every
 * class with this annotation shares one Spring context. Metrics export is on, as in production
 * ({@code /actuator/prometheus}); Spring's test support turns it off unless asked.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = TesseraApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "tessera.worker.models=fm-ar",
        "tessera.worker.models-dir=target/no-models-here",
        "tessera.worker.random-model.dim=32",
        "tessera.worker.random-model.layers=2",
        "tessera.worker.random-model.heads=2",
        "tessera.worker.max-images=4",
        "tessera.worker.heartbeat-interval=500ms",
        "tessera.scheduler.max-batch-wait=20ms",
        "tessera.scheduler.sweep-interval=2s",
        "tessera.scheduler.sweep-min-age=1s",
        "tessera.gateway.retry.backoff=250ms",
        // webhooks go to receivers on loopback in the tests, quickly retried
        "tessera.gateway.webhooks.allow-private-targets=true",
        "tessera.gateway.webhooks.poll-interval=100ms",
        "tessera.gateway.webhooks.backoff=200ms",
        "tessera.gateway.webhooks.timeout=3s",
        "tessera.gateway.admin-token=" + TesseraStackTest.ADMIN_TOKEN})
@ContextConfiguration(initializers = EmbeddedStack.class)
@AutoConfigureObservability(tracing = false)
public @interface TesseraStackTest {

  /** The admin token of the test context. */
  String ADMIN_TOKEN = "test-admin-token-0123456789";
}
