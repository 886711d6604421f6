package dev.tessera.gateway.limits;

import dev.tessera.gateway.GatewayProperties;
import dev.tessera.gateway.RedisProperties;
import dev.tessera.gateway.limits.LimitExceededException.Limit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RScript;
import org.redisson.api.RateLimiterConfig;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisException;
import org.redisson.client.RedisTimeoutException;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * A tenant's limits, enforced in Redis so that they hold across gateway instances:
 * <ul>
 *   <li>request rate: a Redisson {@link RRateLimiter} (token bucket) per tenant;</li>
 *   <li>requests in flight: a Redis set of the tenant's unfinished generation ids, added to on
 *       accept (only if all the ids of the submission fit under the limit, atomically in a
 *       script) and removed from when the recorder stores the terminal state. Removing an id
 *       twice changes nothing, so a redelivered result cannot free a slot twice; ids a lost
 *       release left behind are dropped when PostgreSQL says they are terminal (checked only
 *       when the limit refuses a request);</li>
 *   <li>monthly images: a counter per tenant and UTC month, checked and incremented in one script,
 *       rebuilt from PostgreSQL when Redis lost it, and given back for a request that ends not
 *       billable.</li>
 * </ul>
 * A submission of several requests (a batch) is admitted whole or not at all: n rate permits,
 * n in-flight slots and n images, each taken atomically, and what was taken is given back (the
 * rate permits too) when a later limit refuses it or the requests are not stored after all.
 * Limits are read from PostgreSQL and reused for {@code tessera.gateway.tenant-limits-ttl}. A tenant
 * without limits costs no Redis call on submission.
 *
 * <p>Redis unreachable: the limits fail open. The submission is admitted without them (nothing
 * taken, a warning logged), and for {@link #FAIL_OPEN_FOR} after a connection failure or a timeout
 * Redis is not asked at all, so that a POST does not wait out a timeout per limit. Billing does not
 * depend on Redis (the usage ledger is in PostgreSQL), and the month's counter is rebuilt from
 * PostgreSQL when Redis has lost it; what an outage lets through is the rate and in-flight limits
 * for its duration, and the images accepted during it are missing from a counter that survived it.
 */
@Service
public class LimitService {

  private static final Logger log = LoggerFactory.getLogger(LimitService.class);

  /** How long the limits stay open after Redis failed to answer. */
  static final Duration FAIL_OPEN_FOR = Duration.ofSeconds(1);

  /**
   * KEYS[1] in-flight set; ARGV max, ids. Adds every id not in the set yet if they all fit, else
   * none. Returns {admitted 1|0, size}.
   */
  private static final String ACQUIRE_IN_FLIGHT = """
      local new = {}
      for i = 2, #ARGV do
        if redis.call('sismember', KEYS[1], ARGV[i]) == 0 then new[#new + 1] = ARGV[i] end
      end
      local n = redis.call('scard', KEYS[1])
      if #new == 0 then return {1, n} end
      if n + #new > tonumber(ARGV[1]) then return {0, n} end
      redis.call('sadd', KEYS[1], unpack(new))
      return {1, n + #new}""";

  /**
   * KEYS[1] month counter; ARGV quota, images, ttl seconds, initial value ('' = unknown). Returns
   * {1 admitted | 0 over | -1 counter missing, images counted}.
   */
  private static final String ACQUIRE_QUOTA = """
      local v = redis.call('get', KEYS[1])
      if not v then
        if ARGV[4] == '' then return {-1, 0} end
        redis.call('set', KEYS[1], ARGV[4], 'EX', ARGV[3], 'NX')
        v = redis.call('get', KEYS[1])
      end
      v = tonumber(v)
      if v + tonumber(ARGV[2]) > tonumber(ARGV[1]) then return {0, v} end
      return {1, redis.call('incrby', KEYS[1], ARGV[2])}""";

  /** KEYS[1] month counter; ARGV images. Gives images back if the counter exists. */
  private static final String REFUND_QUOTA = """
      if redis.call('exists', KEYS[1]) == 1 then return redis.call('decrby', KEYS[1], ARGV[1]) end
      return 0""";

  private record Cached(TenantLimits limits, Instant loadedAt) {}

  private final RedissonClient redis;
  private final LimitRepository repository;
  private final Clock clock;
  private final String prefix;
  private final Duration limitsTtl;
  private final Map<UUID, Cached> limits = new ConcurrentHashMap<>();
  private final Map<UUID, RateWindow> configuredRates = new ConcurrentHashMap<>();
  private volatile Instant redisDownUntil = Instant.MIN;

  LimitService(RedissonClient redis, LimitRepository repository, RedisProperties redisProperties,
      GatewayProperties gateway, Clock clock) {
    this.redis = redis;
    this.repository = repository;
    this.clock = clock;
    this.prefix = redisProperties.keyPrefix() + "limits:";
    this.limitsTtl = gateway.tenantLimitsTtl();
  }

  /**
   * What {@link #admit} took; {@link #undo} gives it back when the requests are not stored after
   * all.
   */
  public final class Admission {
    private final Taken taken;

    private Admission(Taken taken) {
      this.taken = taken;
    }

    /** Gives back the rate permits, the in-flight slots and the images of the month's quota. */
    public void undo() {
      release(taken);
    }
  }

  /**
   * What an admission took, to give back: rate permits, the in-flight slots of these ids (if
   * {@code inFlight}), and images of the month counter {@code quotaKey} (if not null).
   */
  private record Taken(UUID tenantId, List<UUID> requestIds, long ratePermits, boolean inFlight,
      String quotaKey, long images) {}

  /**
   * Admits one request of one image for a tenant, or refuses it.
   *
   * @throws LimitExceededException over the rate, the in-flight limit or the monthly quota
   * @throws ServiceUnavailableException Redis is unreachable and the tenant has limits
   */
  public Admission admit(UUID tenantId, UUID requestId) {
    return admit(tenantId, List.of(requestId));
  }

  /**
   * Admits requests of one image each for a tenant all together, or none of them: each counts
   * against the rate, the in-flight limit and the monthly quota as if sent alone, and if they do
   * not all fit, whatever was taken for them is given back before the refusal.
   *
   * @throws LimitExceededException over the rate, the in-flight limit or the monthly quota
   */
  public Admission admit(UUID tenantId, List<UUID> requestIds) {
    TenantLimits l = limitsOf(tenantId);
    Instant now = clock.instant();
    int n = requestIds.size();
    Admission unchecked = new Admission(new Taken(tenantId, requestIds, 0, false, null, n));
    if (l.equals(TenantLimits.NONE)) {
      return unchecked;
    }
    if (now.isBefore(redisDownUntil)) {
      return unchecked; // fail open: Redis failed moments ago
    }
    long ratePermits = 0;
    String quotaKey = null;
    boolean inFlight = false;
    try {
      if (l.ratePerS() != null) {
        takeRate(tenantId, RateWindow.of(l.ratePerS()), n);
        ratePermits = n;
      }
      if (l.monthlyImages() != null) {
        quotaKey = takeQuota(tenantId, l.monthlyImages(), now, n);
      }
      if (l.maxInFlight() != null) {
        takeInFlight(tenantId, requestIds, l.maxInFlight());
        inFlight = true;
      }
      return new Admission(new Taken(tenantId, requestIds, ratePermits, inFlight, quotaKey, n));
    } catch (LimitExceededException e) {
      release(new Taken(tenantId, requestIds, ratePermits, inFlight, quotaKey, n));
      throw e;
    } catch (RedisException e) {
      if (unreachable(e)) {
        redisDownUntil = clock.instant().plus(FAIL_OPEN_FOR);
      } else {
        release(new Taken(tenantId, requestIds, ratePermits, inFlight, quotaKey, n));
      }
      log.warn("limits of tenant {} not checked, Redis failed ({}): admitted without them",
          tenantId, e.toString());
      return unchecked;
    }
  }

  /** Whether Redis could not be reached or did not answer in time (rather than refusing). */
  private static boolean unreachable(RedisException e) {
    return e instanceof RedisConnectionException || e instanceof RedisTimeoutException;
  }

  /**
   * The request reached a terminal state (called once per request, by the recorder, after the final
   * row is stored): frees its in-flight slot and, if it is not billable, gives its image back to the
   * quota of the month it was accepted in. Redis failures are logged, never thrown.
   */
  public void finished(UUID tenantId, UUID requestId, Instant queuedAt, boolean billable) {
    if (clock.instant().isBefore(redisDownUntil)) {
      log.warn("in-flight slot of {} not released, Redis failed moments ago; the limit's "
          + "reconciliation with PostgreSQL frees it", requestId);
      return;
    }
    release(new Taken(tenantId, List.of(requestId), 0, true,
        billable ? null : quotaKey(tenantId, queuedAt), 1));
  }

  private void release(Taken taken) {
    UUID tenantId = taken.tenantId();
    try {
      if (taken.inFlight()) {
        redis.getSet(inFlightKey(tenantId), StringCodec.INSTANCE)
            .removeAll(taken.requestIds().stream().map(UUID::toString).toList());
      }
      if (taken.quotaKey() != null) {
        redis.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, REFUND_QUOTA,
            RScript.ReturnType.INTEGER, List.of(taken.quotaKey()), Long.toString(taken.images()));
      }
      if (taken.ratePermits() > 0) {
        redis.getRateLimiter(rateKey(tenantId)).release(taken.ratePermits());
      }
    } catch (RedisException e) {
      if (unreachable(e)) {
        redisDownUntil = clock.instant().plus(FAIL_OPEN_FOR);
      }
      log.warn("could not release the limits of request(s) {} (tenant {}): {}",
          taken.requestIds(), tenantId, e.toString());
    }
  }

  private void takeRate(UUID tenantId, RateWindow window, int n) {
    if (n > window.permits()) {
      // more than the bucket holds: Redisson refuses to try, and no wait would make it fit
      throw new LimitExceededException(Limit.RATE, window.permits(), window.windowSeconds(),
          window.windowSeconds(), n + " requests at once are more than the tenant's rate of "
              + window.permits() + " requests per " + window.interval().toMillis()
              + " ms allows; send at most " + window.permits() + " at once");
    }
    RRateLimiter limiter = redis.getRateLimiter(rateKey(tenantId));
    if (!window.equals(configuredRates.get(tenantId))) {
      configure(limiter, window);
      configuredRates.put(tenantId, window);
    }
    boolean acquired;
    try {
      acquired = limiter.tryAcquire(n);
    } catch (RedisException e) {
      if (unreachable(e)) {
        throw e;
      }
      // Redis lost the limiter's configuration (restart, eviction): set it again, once
      configure(limiter, window);
      acquired = limiter.tryAcquire(n);
    }
    if (!acquired) {
      throw new LimitExceededException(Limit.RATE, window.permits(), window.windowSeconds(),
          window.secondsPerPermit() * n, "over the tenant's rate of " + window.permits()
              + " requests per " + window.interval().toMillis() + " ms"
              + (n > 1 ? " for " + n + " requests" : "") + "; retry later");
    }
  }

  private static void configure(RRateLimiter limiter, RateWindow window) {
    if (!limiter.trySetRate(RateType.OVERALL, window.permits(), window.interval())) {
      RateLimiterConfig config = limiter.getConfig();
      if (config.getRate() != window.permits()
          || config.getRateInterval() != window.interval().toMillis()) {
        limiter.setRate(RateType.OVERALL, window.permits(), window.interval());
      }
    }
  }

  private String takeQuota(UUID tenantId, long quota, Instant now, int images) {
    String key = quotaKey(tenantId, now);
    YearMonth month = YearMonth.from(now.atOffset(ZoneOffset.UTC));
    Instant monthStart = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    Instant nextMonth = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    long ttl = Duration.between(now, nextMonth).plusDays(35).toSeconds();
    List<Long> r = quotaScript(key, quota, images, ttl, "");
    if (r.get(0) == -1) {
      long counted = repository.imagesCountedSince(tenantId, monthStart);
      r = quotaScript(key, quota, images, ttl, Long.toString(counted));
    }
    if (r.get(0) == 0) {
      throw new LimitExceededException(Limit.MONTHLY_IMAGES, quota,
          Duration.between(monthStart, nextMonth).toSeconds(),
          Duration.between(now, nextMonth).toSeconds(), "the tenant's quota of " + quota
              + " images in " + month + (images > 1 ? " has no room for " + images + " more ("
              : " is used up (") + r.get(1) + " counted)");
    }
    return key;
  }

  private List<Long> quotaScript(String key, long quota, int images, long ttl, String initial) {
    return redis.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, ACQUIRE_QUOTA,
        RScript.ReturnType.MULTI, List.of(key), Long.toString(quota), Integer.toString(images),
        Long.toString(ttl), initial);
  }

  private void takeInFlight(UUID tenantId, List<UUID> requestIds, int max) {
    String key = inFlightKey(tenantId);
    List<Long> r = inFlightScript(key, max, requestIds);
    if (r.get(0) == 0) {
      // a release may have been lost (gateway crash between commit and Redis): drop finished ids
      var members = redis.<String>getSet(key, StringCodec.INSTANCE).readAll();
      List<String> finished = repository.terminalAmong(members);
      if (!finished.isEmpty()) {
        log.warn("in-flight set of tenant {} held {} finished requests; dropped", tenantId,
            finished.size());
        redis.getSet(key, StringCodec.INSTANCE).removeAll(finished);
        r = inFlightScript(key, max, requestIds);
      }
    }
    if (r.get(0) == 0) {
      throw new LimitExceededException(Limit.IN_FLIGHT, max, null, 1, "the tenant has " + r.get(1)
          + " requests in flight, its limit is " + max
          + (requestIds.size() > 1 ? "; " + requestIds.size() + " more do not fit" : "")
          + "; retry when one finishes");
    }
  }

  private List<Long> inFlightScript(String key, int max, List<UUID> requestIds) {
    Object[] args = new Object[requestIds.size() + 1];
    args[0] = Integer.toString(max);
    for (int i = 0; i < requestIds.size(); i++) {
      args[i + 1] = requestIds.get(i).toString();
    }
    return redis.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, ACQUIRE_IN_FLIGHT,
        RScript.ReturnType.MULTI, List.of(key), args);
  }

  private TenantLimits limitsOf(UUID tenantId) {
    Instant now = clock.instant();
    Cached cached = limits.get(tenantId);
    if (cached == null || cached.loadedAt().plus(limitsTtl).isBefore(now)) {
      cached = new Cached(repository.limits(tenantId).orElse(TenantLimits.NONE), now);
      limits.put(tenantId, cached);
    }
    return cached.limits();
  }

  private String rateKey(UUID tenantId) {
    return prefix + "rate:" + tenantId;
  }

  private String inFlightKey(UUID tenantId) {
    return prefix + "in-flight:" + tenantId;
  }

  private String quotaKey(UUID tenantId, Instant at) {
    return prefix + "images:" + tenantId + ":" + YearMonth.from(at.atOffset(ZoneOffset.UTC));
  }
}
