package dev.tessera.gateway.limits;

import dev.tessera.gateway.problem.ApiException;
import dev.tessera.gateway.problem.ProblemType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A tenant is over one of its limits: 429 with {@code Retry-After} and the RateLimit header fields
 * of draft-ietf-httpapi-ratelimit-headers (-09 and later: {@code RateLimit-Policy} and
 * {@code RateLimit}, structured fields naming the policy), e.g.
 * {@code RateLimit-Policy: "rate";q=2;w=1} and {@code RateLimit: "rate";r=0;t=1}.
 */
public class LimitExceededException extends ApiException {

  private final Limit limit;
  private final long quota;
  private final Long windowSeconds;
  private final long retryAfterSeconds;

  /**
   * @param limit which limit
   * @param quota the limit's size (requests per window, requests in flight, images per month)
   * @param windowSeconds the limit's window, or null for a limit without one (in flight)
   * @param retryAfterSeconds when to try again (at least 1)
   */
  public LimitExceededException(Limit limit, long quota, Long windowSeconds,
      long retryAfterSeconds, String detail) {
    super(HttpStatus.TOO_MANY_REQUESTS, limit.problemType(), detail, null);
    this.limit = limit;
    this.quota = quota;
    this.windowSeconds = windowSeconds;
    this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
  }

  /** Which limit was hit. */
  public Limit limit() {
    return limit;
  }

  @Override
  public Map<String, String> headers() {
    Map<String, String> h = new LinkedHashMap<>();
    String name = "\"" + limit.policyName() + "\"";
    h.put("Retry-After", Long.toString(retryAfterSeconds));
    h.put("RateLimit-Policy", name + ";q=" + quota
        + (windowSeconds == null ? "" : ";w=" + windowSeconds));
    h.put("RateLimit", name + ";r=0;t=" + retryAfterSeconds);
    return h;
  }

  @Override
  public Map<String, Object> properties() {
    return Map.of("limit", limit.policyName(), "retry_after", retryAfterSeconds);
  }

  /** The three limits of a tenant. */
  public enum Limit {
    RATE("rate", ProblemType.RATE_LIMITED),
    IN_FLIGHT("in-flight", ProblemType.IN_FLIGHT_LIMITED),
    MONTHLY_IMAGES("monthly-images", ProblemType.QUOTA_EXCEEDED);

    private final String policyName;
    private final ProblemType problemType;

    Limit(String policyName, ProblemType problemType) {
      this.policyName = policyName;
      this.problemType = problemType;
    }

    public String policyName() {
      return policyName;
    }

    public ProblemType problemType() {
      return problemType;
    }
  }
}
