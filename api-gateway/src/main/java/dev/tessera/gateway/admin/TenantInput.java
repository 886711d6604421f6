package dev.tessera.gateway.admin;

import dev.tessera.gateway.auth.TenantService;
import dev.tessera.gateway.input.PrintableText;
import dev.tessera.gateway.problem.InvalidRequestException;
import dev.tessera.gateway.problem.ProblemType;

/**
 * The checks of a new tenant: a visible name, and limits that are finite and in ranges the
 * scheduler and the limiters can work with. A weight of 4.9e-324 would make the tenant's
 * virtual-time counter infinite (fairness stops for everyone), a rate of 1e-300 a token bucket that
 * never refills. Pure.
 */
final class TenantInput {

  /** Longest tenant or key name, in characters. */
  static final int MAX_NAME = 100;
  static final double MIN_WEIGHT = 0.001;
  static final double MAX_WEIGHT = 1000;
  static final double MIN_RATE = 0.001;
  static final double MAX_RATE = 100_000;
  static final int MAX_IN_FLIGHT = 1_000_000;
  static final long MAX_MONTHLY_IMAGES = 1_000_000_000_000L;

  private TenantInput() {}

  /** The tenant to create, or a 400 naming the field. */
  static TenantService.NewTenant validate(AdminController.CreateTenantBody body) {
    if (body == null) {
      throw new InvalidRequestException(ProblemType.MALFORMED_JSON, null,
          "a JSON body {name, weight, rate_per_s, max_in_flight, monthly_images} is required");
    }
    String name = PrintableText.require("name", body.name(), MAX_NAME, false);
    double weight = body.weight() == null ? 1.0 : body.weight();
    if (!(weight >= MIN_WEIGHT && weight <= MAX_WEIGHT)) {
      throw invalid("weight", "weight must be in [" + MIN_WEIGHT + ", " + MAX_WEIGHT + "], was "
          + weight);
    }
    if (body.ratePerS() != null && !(body.ratePerS() >= MIN_RATE && body.ratePerS() <= MAX_RATE)) {
      throw invalid("rate_per_s", "rate_per_s must be in [" + MIN_RATE + ", " + (long) MAX_RATE
          + "] requests per second, was " + body.ratePerS());
    }
    if (body.maxInFlight() != null
        && (body.maxInFlight() < 1 || body.maxInFlight() > MAX_IN_FLIGHT)) {
      throw invalid("max_in_flight", "max_in_flight must be in [1, " + MAX_IN_FLIGHT + "], was "
          + body.maxInFlight());
    }
    if (body.monthlyImages() != null
        && (body.monthlyImages() < 0 || body.monthlyImages() > MAX_MONTHLY_IMAGES)) {
      throw invalid("monthly_images", "monthly_images must be in [0, " + MAX_MONTHLY_IMAGES
          + "], was " + body.monthlyImages());
    }
    return new TenantService.NewTenant(name, weight, body.ratePerS(), body.maxInFlight(),
        body.monthlyImages());
  }

  /** A key's name: empty, or visible text of at most {@link #MAX_NAME} characters. */
  static String keyName(AdminController.CreateKeyBody body) {
    return body == null ? "" : PrintableText.require("name", body.name(), MAX_NAME, true);
  }

  private static InvalidRequestException invalid(String field, String detail) {
    return new InvalidRequestException(ProblemType.INVALID_FIELD, field, detail);
  }
}
