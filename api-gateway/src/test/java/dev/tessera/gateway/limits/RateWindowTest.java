package dev.tessera.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateWindowTest {

  @Test
  void wholeRatesRefillThatManyPermitsPerSecond() {
    RateWindow w = RateWindow.of(10);
    assertThat(w.permits()).as("permits").isEqualTo(10);
    assertThat(w.interval()).as("interval").isEqualTo(Duration.ofSeconds(1));
    assertThat(w.secondsPerPermit()).as("retry after, rounded up to a second").isEqualTo(1);
  }

  @Test
  void fractionalRatesBecomeWholePermitsOverALongerInterval() {
    assertThat(RateWindow.of(0.2)).as("0.2/s").isEqualTo(new RateWindow(1, Duration.ofSeconds(5)));
    assertThat(RateWindow.of(0.2).secondsPerPermit()).as("retry after at 0.2/s").isEqualTo(5);
    assertThat(RateWindow.of(2.5)).as("2.5/s").isEqualTo(new RateWindow(3, Duration.ofMillis(1200)));
  }

  @Test
  void aRateThatIsNotPositiveIsRefused() {
    assertThatThrownBy(() -> RateWindow.of(0)).as("zero").isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RateWindow.of(Double.NaN)).as("NaN")
        .isInstanceOf(IllegalArgumentException.class);
  }
}
