package dev.tessera.gateway.generation;

import dev.tessera.contract.GenerationRequest;
import dev.tessera.gateway.GatewayProperties;
import dev.tessera.gateway.auth.Caller;
import dev.tessera.gateway.problem.InvalidRequestException;
import dev.tessera.gateway.problem.ProblemType;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * {@code POST /v1/batches}: many generations at once, all or none. Every item is validated first,
 * as {@code POST /v1/generations} would (a rejection names the item, e.g. {@code
 * requests[3].class_label}); then the {@link GenerationService} accepts them together: each one a
 * normal generation with its own id, admitted under the tenant's limits as if sent alone (429 for
 * the whole batch if they do not all fit, with nothing taken), stored QUEUED in one transaction and
 * published. An Idempotency-Key covers the batch: the same key and body answer the same ids.
 */
@Service
public class BatchService {

  private final GenerationService generations;
  private final int maxRequests;

  BatchService(GenerationService generations, GatewayProperties properties) {
    this.generations = generations;
    this.maxRequests = properties.maxBatchRequests();
  }

  /**
   * Validates every item, then accepts them all; the answers are in the order of the items.
   *
   * @throws InvalidRequestException for the first invalid item (or an empty or too large batch)
   * @throws dev.tessera.gateway.limits.LimitExceededException the batch does not fit a limit
   */
  public List<GenerationService.Accepted> submit(Caller caller, CreateBatchBody body,
      String idempotencyKey) {
    GenerationService.checkIdempotencyKey(idempotencyKey);
    List<CreateGenerationBody> items = items(body);
    List<GenerationRequest> requests = new ArrayList<>(items.size());
    List<SubmissionWebhooks.Attachment> webhooks = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      String item = "requests[" + i + "]";
      if (items.get(i) == null) {
        throw new InvalidRequestException(ProblemType.WRONG_TYPE, item,
            item + " must be a JSON object, the body of one generation");
      }
      try {
        requests.add(generations.validate(caller, items.get(i)));
        webhooks.add(generations.webhook(items.get(i)));
      } catch (InvalidRequestException e) {
        throw new InvalidRequestException(e.type(), item + "." + e.field(),
            item + ": " + e.getMessage());
      }
    }
    return generations.accept(caller, requests, webhooks, idempotencyKey,
        idempotencyKey == null ? null : GenerationService.fingerprint(body));
  }

  private List<CreateGenerationBody> items(CreateBatchBody body) {
    if (body == null || body.requests() == null) {
      throw new InvalidRequestException(ProblemType.MISSING_FIELD, "requests",
          "field 'requests' is required: an array of generation requests");
    }
    int n = body.requests().size();
    if (n == 0 || n > maxRequests) {
      throw new InvalidRequestException(ProblemType.INVALID_FIELD, "requests",
          "a batch holds 1 to " + maxRequests + " requests, this one " + n);
    }
    return body.requests();
  }
}
