package dev.tessera.gateway.generation;

import dev.tessera.gateway.auth.Caller;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /v1/batches}: submit many generations at once. */
@RestController
class BatchController {

  /** The 202 body: one entry per request, in the order sent. */
  record AcceptedBatch(List<GenerationController.AcceptedBody> data) {}

  private final BatchService batches;
  private final StatusUrls urls;

  BatchController(BatchService batches, StatusUrls urls) {
    this.batches = batches;
    this.urls = urls;
  }

  @PostMapping(value = "/v1/batches", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<AcceptedBatch> create(Caller caller,
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
      @RequestBody(required = false) CreateBatchBody body, HttpServletRequest request) {
    String base = urls.base(request); // before storing: nothing may fail after the commit
    List<GenerationService.Accepted> accepted = batches.submit(caller, body, idempotencyKey);
    List<GenerationController.AcceptedBody> data = accepted.stream()
        .map(a -> new GenerationController.AcceptedBody(a.id().toString(), a.state().name(),
            StatusUrls.generation(base, a.id()).toString()))
        .toList();
    ResponseEntity.BodyBuilder response = ResponseEntity.accepted();
    if (accepted.get(0).replayed()) {
      response.header("Idempotent-Replayed", "true");
    }
    return response.body(new AcceptedBatch(data));
  }
}
