package dev.tessera.gateway.limits;

import dev.tessera.gateway.GatewayProperties;
import dev.tessera.gateway.RedisProperties;
import dev.tessera.gateway.limits.LimitExceededException.Limit;
import dev.tessera.gateway.problem.ServiceUnavailableException;
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
import org.redisson.client.RedisException;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * A tenant's limits, enforced in Redis so that they hold across gateway instances:
 * <ul>
 *   <li>request rate: a Redisson {@link RRateLimiter} (token bucket) per tenant;</li>
 *   <li>requests in flight: a Redis set of the tenant's unfinished generation ids, added to on
 *       accept (only while the set is smaller than the limit, atomically in a script) and removed
 *       from when the recorder stores the terminal state. Removing an id twice changes nothing, so a
 *       redelivered result cannot free a slot twice; ids a lost release left behind are dropped when
 *       PostgreSQL says they are terminal (checked only when the limit refuses a request);</li>
 *   <li>monthly images: a counter per tenant and UTC month, checked and incremented in one script,
 *       rebuilt from PostgreSQL when Redis lost it, and given back for a request that ends not
 *       billable.</li>
 * </ul>
 * Limits are read from PostgreSQL and reused for {@code tessera.gateway.tenant-limits-ttl}. A tenant
 * without limits costs no Redis call on submission. Redis unreachable while a limit must be checked:
 * 503.
 */
@Service
public class LimitService {

  private static final Logger log = LoggerFactory.getLogger(LimitService.class);

  /** KEYS[1] in-flight set; ARGV max, id. Returns {admitted 1|0, size}. */
  private static final String ACQUIRE_IN_FLIGHT = """
      if redis.call('sismember', KEYS[1], ARGV[2]) == 1 then
        return {1, redis.call('scard', KEYS[1])}
      end
      local n = redis.call('scard', KEYS[1])
      if n >= tonumber(ARGV[1]) then return {0, n} end
      redis.call('sadd', KEYS[1], ARGV[2])
      return {1, n + 1}""";

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

  LimitService(RedissonClient redis, LimitRepository repository, RedisProperties redisProperties,
      GatewayProperties gateway, Clock clock) {
    this.redis = redis;
    this.repository = repository;
    this.clock = clock;
    this.prefix = redisProperties.keyPrefix() + "limits:";
    this.limitsTtl = gateway.tenantLimitsTtl();
  }

  /** What {@link #admit} took; {@link #undo} gives it back when the request is not stored after all. */
  public final class Admission {
    private final UUID tenantId;
    private final UUID requestId;
    private final boolean inFlight;
    private final String quotaKey;

    private Admission(UUID tenantId, UUID requestId, boolean inFlight, String quotaKey) {
      this.tenantId = tenantId;
      this.requestId = requestId;
      this.inFlight = inFlight;
      this.quotaKey = quotaKey;
    }

    /** Frees the in-flight slot and gives the image back to the month's quota. */
    public void undo() {
      release(tenantId, requestId, inFlight, quotaKey);
    }
  }

  /**
   * Admits one request of one image for a tenant, or refuses it.
   *
   * @throws LimitExceededException over the rate, the in-flight limit or the monthly quota
   * @throws ServiceUnavailableException Redis is unreachable and the tenant has limits
   */
  public Admission admit(UUID tenantId, UUID requestId) {
    TenantLimits l = limitsOf(tenantId);
    Instant now = clock.instant();
    String quotaKey = null;
    boolean inFlight = false;
    try {
      if (l.ratePerS() != null) {
        takeRate(tenantId, RateWindow.of(l.ratePerS()));
      }
      if (l.monthlyImages() != null) {
        quotaKey = takeQuota(tenantId, l.monthlyImages(), now);
      }
      if (l.maxInFlight() != null) {
        takeInFlight(tenantId, requestId, l.maxInFlight());
        inFlight = true;
      }
      return new Admission(tenantId, requestId, inFlight, quotaKey);
    } catch (LimitExceededException e) {
      release(tenantId, requestId, inFlight, quotaKey);
      throw e;
    } catch (RedisException e) {
      release(tenantId, requestId, inFlight, quotaKey);
      throw new ServiceUnavailableException("redis",
          "the limits store is unavailable; retry later", e);
    }
  }

  /**
   * The request reached a terminal state (called once per request, by the recorder, after the final
   * row is stored): frees its in-flight slot and, if it is not billable, gives its image back to the
   * quota of the month it was accepted in. Redis failures are logged, never thrown.
   */
  public void finished(UUID tenantId, UUID requestId, Instant queuedAt, boolean billable) {
    release(tenantId, requestId, true, billable ? null : quotaKey(tenantId, queuedAt));
  }

  private void release(UUID tenantId, UUID requestId, boolean inFlight, String quotaKey) {
    try {
      if (inFlight) {
        redis.getSet(inFlightKey(tenantId), StringCodec.INSTANCE).remove(requestId.toString());
      }
      if (quotaKey != null) {
        redis.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, REFUND_QUOTA,
            RScript.ReturnType.INTEGER, List.of(quotaKey), "1");
      }
    } catch (RedisException e) {
      log.warn("could not release the limits of request {} (tenant {}): {}", requestId, tenantId,
          e.toString());
    }
  }

  private void takeRate(UUID tenantId, RateWindow window) {
    RRateLimiter limiter = redis.getRateLimiter(prefix + "rate:" + tenantId);
    if (!window.equals(configuredRates.get(tenantId))) {
      configure(limiter, window);
      configuredRates.put(tenantId, window);
    }
    boolean acquired;
    try {
      acquired = limiter.tryAcquire();
    } catch (RedisException e) {
      // Redis lost the limiter's configuration (restart, eviction): set it again, once
      configure(limiter, window);
      acquired = limiter.tryAcquire();
    }
    if (!acquired) {
      throw new LimitExceededException(Limit.RATE, window.permits(), window.windowSeconds(),
          window.secondsPerPermit(), "over the tenant's rate of " + window.permits()
              + " requests per " + window.interval().toMillis() + " ms; retry later");
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

  private String takeQuota(UUID tenantId, long quota, Instant now) {
    String key = quotaKey(tenantId, now);
    YearMonth month = YearMonth.from(now.atOffset(ZoneOffset.UTC));
    Instant monthStart = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    Instant nextMonth = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    long ttl = Duration.between(now, nextMonth).plusDays(35).toSeconds();
    List<Long> r = quotaScript(key, quota, ttl, "");
    if (r.get(0) == -1) {
      long counted = repository.imagesCountedSince(tenantId, monthStart);
      r = quotaScript(key, quota, ttl, Long.toString(counted));
    }
    if (r.get(0) == 0) {
      throw new LimitExceededException(Limit.MONTHLY_IMAGES, quota,
          Duration.between(monthStart, nextMonth).toSeconds(),
          Duration.between(now, nextMonth).toSeconds(), "the tenant's quota of " + quota
              + " images in " + month + " is used up (" + r.get(1) + " counted)");
    }
    return key;
  }

  private List<Long> quotaScript(String key, long quota, long ttl, String initial) {
    return redis.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, ACQUIRE_QUOTA,
        RScript.ReturnType.MULTI, List.of(key), Long.toString(quota), "1", Long.toString(ttl),
        initial);
  }

  private void takeInFlight(UUID tenantId, UUID requestId, int max) {
    String key = inFlightKey(tenantId);
    List<Long> r = inFlightScript(key, max, requestId);
    if (r.get(0) == 0) {
      // a release may have been lost (gateway crash between commit and Redis): drop finished ids
      var members = redis.<String>getSet(key, StringCodec.INSTANCE).readAll();
      List<String> finished = repository.terminalAmong(members);
      if (!finished.isEmpty()) {
        log.warn("in-flight set of tenant {} held {} finished requests; dropped", tenantId,
            finished.size());
        redis.getSet(key, StringCodec.INSTANCE).removeAll(finished);
        r = inFlightScript(key, max, requestId);
      }
    }
    if (r.get(0) == 0) {
      throw new LimitExceededException(Limit.IN_FLIGHT, max, null, 1, "the tenant has " + r.get(1)
          + " requests in flight, its limit is " + max + "; retry when one finishes");
    }
  }

  private List<Long> inFlightScript(String key, int max, UUID requestId) {
    return redis.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, ACQUIRE_IN_FLIGHT,
        RScript.ReturnType.MULTI, List.of(key), Integer.toString(max), requestId.toString());
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

  private String inFlightKey(UUID tenantId) {
    return prefix + "in-flight:" + tenantId;
  }

  private String quotaKey(UUID tenantId, Instant at) {
    return prefix + "images:" + tenantId + ":" + YearMonth.from(at.atOffset(ZoneOffset.UTC));
  }
}
