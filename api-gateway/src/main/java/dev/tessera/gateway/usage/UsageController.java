package dev.tessera.gateway.usage;

import dev.tessera.gateway.auth.AdminAuthenticator;
import dev.tessera.gateway.auth.Authenticator;
import dev.tessera.gateway.problem.InvalidRequestException;
import dev.tessera.gateway.problem.NotFoundException;
import dev.tessera.gateway.problem.ProblemType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/usage}: the usage ledger in time buckets, shaped like OpenAI's usage API. With an
 * API key it answers for the key's tenant (another tenant's {@code tenant_id} is not found); with the
 * admin token, for the tenant named by {@code tenant_id}.
 */
@RestController
class UsageController {

  /** The answer: one page holding every bucket from start to end, empty ones included. */
  record Page(String object, List<Bucket> data, boolean hasMore) {}

  /** One time bucket, [start_time, end_time) in Unix seconds. */
  record Bucket(String object, long startTime, long endTime, List<Result> results) {}

  /**
   * Sums of one group in one bucket. {@code images} counts billable images; the request counts
   * and the compute sums (forwards, decode time) cover every terminal request.
   */
  record Result(String object, long images, long numModelRequests, long billableRequests,
      long tokens, long targetForwards, long drafterForwards, long decodeMs, String model,
      String strategy, String apiKeyId) {}

  private final Authenticator authenticator;
  private final AdminAuthenticator admins;
  private final UsageRepository repository;
  private final Clock clock;

  UsageController(Authenticator authenticator, AdminAuthenticator admins,
      UsageRepository repository, Clock clock) {
    this.authenticator = authenticator;
    this.admins = admins;
    this.repository = repository;
    this.clock = clock;
  }

  @GetMapping("/v1/usage")
  Page usage(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth,
      @RequestParam(required = false) String start, @RequestParam(required = false) String end,
      @RequestParam(required = false) String bucket,
      @RequestParam(name = "group_by", required = false) String groupBy,
      @RequestParam(name = "tenant_id", required = false) String tenantId) {
    UUID tenant = tenantOf(auth, tenantId);
    UsageQuery q = UsageQuery.parse(start, end, bucket, groupBy, clock.instant());
    List<UsageRepository.Sums> sums = repository.sums(tenant, q);
    List<Bucket> buckets = new ArrayList<>(q.buckets());
    int next = 0;
    for (int b = 0; b < q.buckets(); b++) {
      List<Result> results = new ArrayList<>();
      while (next < sums.size() && sums.get(next).bucket() == b) {
        UsageRepository.Sums s = sums.get(next++);
        results.add(new Result("usage.images.result", s.images(), s.requests(),
            s.billableRequests(), s.tokens(), s.targetForwards(), s.drafterForwards(),
            s.decodeMs(), s.model(), s.strategy(), s.apiKeyId()));
      }
      long from = q.start().getEpochSecond() + b * q.bucket().toSeconds();
      buckets.add(new Bucket("bucket", from, from + q.bucket().toSeconds(), results));
    }
    return new Page("page", buckets, false);
  }

  /** The tenant asked about; 401 without valid credentials, 404 for anything not visible. */
  private UUID tenantOf(String auth, String tenantId) {
    if (admins.isAdmin(auth)) {
      if (tenantId == null || tenantId.isBlank()) {
        throw new InvalidRequestException(ProblemType.MISSING_FIELD, "tenant_id",
            "with the admin token, tenant_id names the tenant whose usage to read");
      }
      UUID id = parse(tenantId);
      if (!repository.tenantExists(id)) {
        throw new NotFoundException("no tenant " + tenantId);
      }
      return id;
    }
    UUID own = authenticator.authenticate(auth).tenantId();
    if (tenantId != null && !tenantId.isBlank() && !tenantId.equalsIgnoreCase(own.toString())) {
      throw new NotFoundException("no tenant " + tenantId);
    }
    return own;
  }

  private static UUID parse(String tenantId) {
    try {
      return UUID.fromString(tenantId);
    } catch (IllegalArgumentException e) {
      throw new NotFoundException("no tenant " + tenantId);
    }
  }
}
