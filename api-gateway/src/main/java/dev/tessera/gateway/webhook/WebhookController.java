package dev.tessera.gateway.webhook;

import dev.tessera.gateway.auth.Admin;
import dev.tessera.gateway.auth.Caller;
import dev.tessera.gateway.auth.Tenant;
import dev.tessera.gateway.auth.TenantService;
import dev.tessera.gateway.generation.GenerationIds;
import dev.tessera.gateway.generation.GenerationRepository;
import dev.tessera.gateway.input.PrintableText;
import dev.tessera.gateway.problem.InvalidRequestException;
import dev.tessera.gateway.problem.NotFoundException;
import dev.tessera.gateway.problem.ProblemType;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Webhooks over HTTP. For a tenant: {@code GET /v1/generations/{id}/webhooks}, the deliveries
 * about a generation with every attempt; {@code GET /v1/webhooks/secret}, the secret that signs
 * deliveries to requests' own {@code webhook_url}. For the admin: a tenant's endpoints, {@code
 * POST} and {@code GET /admin/tenants/{id}/webhooks} ({@code {url, events, description}}; the
 * answer holds the endpoint's own secret) and {@code DELETE /admin/webhooks/{id}} (disables it).
 */
@RestController
class WebhookController {

  /** A list. */
  record ListBody<T>(List<T> data) {}

  /** The tenant's signing secret. */
  record SecretBody(String secret) {}

  /** The body of {@code POST /admin/tenants/{id}/webhooks}. */
  record CreateEndpointBody(String url, List<String> events, String description) {}

  private final WebhookRepository repository;
  private final GenerationRepository generations;
  private final TenantService tenants;
  private final WebhookProperties properties;
  private final Clock clock;

  WebhookController(WebhookRepository repository, GenerationRepository generations,
      TenantService tenants, WebhookProperties properties, Clock clock) {
    this.repository = repository;
    this.generations = generations;
    this.tenants = tenants;
    this.properties = properties;
    this.clock = clock;
  }

  @GetMapping("/v1/generations/{id}/webhooks")
  ListBody<WebhookRepository.Delivery> deliveries(Caller caller, @PathVariable String id) {
    UUID generation = GenerationIds.parse(id);
    generations.find(generation).filter(r -> r.tenantId().equals(caller.tenantId()))
        .orElseThrow(() -> new NotFoundException("no generation " + id));
    return new ListBody<>(repository.deliveries(generation));
  }

  @GetMapping("/v1/webhooks/secret")
  SecretBody secret(Caller caller) {
    return new SecretBody(repository.tenantSecret(caller.tenantId(), now()));
  }

  @PostMapping("/admin/tenants/{id}/webhooks")
  ResponseEntity<WebhookRepository.Endpoint> addEndpoint(Admin admin, @PathVariable String id,
      @RequestBody(required = false) CreateEndpointBody body) {
    Tenant tenant = tenant(id);
    if (body == null || body.url() == null) {
      throw new InvalidRequestException(ProblemType.MISSING_FIELD, "url",
          "a JSON body {url, events, description} is required");
    }
    WebhookRequest webhook = WebhookRequest.parse(body.url(), body.events(), "url", "events",
        properties.allowPrivateTargets());
    String description = PrintableText.require("description", body.description(), 200, true);
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(repository.addEndpoint(tenant.id(), webhook, description, now()));
  }

  @GetMapping("/admin/tenants/{id}/webhooks")
  ListBody<WebhookRepository.Endpoint> endpoints(Admin admin, @PathVariable String id) {
    return new ListBody<>(repository.endpoints(tenant(id).id()));
  }

  @DeleteMapping("/admin/webhooks/{id}")
  ResponseEntity<Void> disable(Admin admin, @PathVariable String id) {
    if (!repository.disable(uuid(id, "webhook endpoint"), now())) {
      throw new NotFoundException("no enabled webhook endpoint " + id);
    }
    return ResponseEntity.noContent().build();
  }

  private Tenant tenant(String id) {
    return tenants.tenant(uuid(id, "tenant"))
        .orElseThrow(() -> new NotFoundException("no tenant " + id));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static UUID uuid(String text, String what) {
    try {
      UUID id = UUID.fromString(text);
      if (id.toString().equalsIgnoreCase(text)) {
        return id;
      }
    } catch (IllegalArgumentException e) {
      // not one of ours
    }
    throw new NotFoundException("no " + what + " " + text);
  }
}
