package dev.tessera.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.gateway.problem.InvalidRequestException;
import org.junit.jupiter.api.Test;

class TenantInputTest {

  private static AdminController.CreateTenantBody body(Double weight, Double rate,
      Integer inFlight, Long monthly) {
    return new AdminController.CreateTenantBody("acme", weight, rate, inFlight, monthly);
  }

  @Test
  void limitsOutsideTheirRangesAreRefusedNamingTheField() {
    Object[][] cases = {{body(4.9e-324, null, null, null), "weight"},
        {body(1e308, null, null, null), "weight"},
        {body(Double.POSITIVE_INFINITY, null, null, null), "weight"},
        {body(Double.NaN, null, null, null), "weight"}, {body(-0.0, null, null, null), "weight"},
        {body(null, 1e-300, null, null), "rate_per_s"}, {body(null, 1e7, null, null), "rate_per_s"},
        {body(null, Double.NaN, null, null), "rate_per_s"},
        {body(null, null, 0, null), "max_in_flight"},
        {body(null, null, 2_000_000, null), "max_in_flight"},
        {body(null, null, null, -1L), "monthly_images"},
        {body(null, null, null, Long.MAX_VALUE), "monthly_images"}};
    for (Object[] c : cases) {
      assertThatThrownBy(() -> TenantInput.validate((AdminController.CreateTenantBody) c[0]))
          .as(c[1] + " of " + c[0]).isInstanceOfSatisfying(InvalidRequestException.class,
              e -> assertThat(e.field()).as("field").isEqualTo(c[1]));
    }
  }

  @Test
  void saneLimitsAndAVisibleNameAreAccepted() {
    var tenant = TenantInput.validate(new AdminController.CreateTenantBody(" acme ", 0.5, 2.5, 4,
        0L));
    assertThat(tenant.name()).as("name stripped").isEqualTo("acme");
    assertThat(tenant.weight()).as("weight").isEqualTo(0.5);
    assertThatThrownBy(() -> TenantInput.validate(new AdminController.CreateTenantBody("a\u0000",
        null, null, null, null))).as("NUL in the name")
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.field()).isEqualTo("name"));
  }
}
