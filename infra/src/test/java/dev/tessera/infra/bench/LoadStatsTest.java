package dev.tessera.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tessera.infra.bench.LoadStats.Percentiles;
import dev.tessera.infra.bench.LoadStats.Span;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LoadStatsTest {

  private static final Instant T0 = Instant.parse("2025-03-10T00:00:00Z");

  private static Instant at(double seconds) {
    return T0.plusMillis((long) (seconds * 1000));
  }

  private static Span span(double from, double to) {
    return new Span(at(from), at(to));
  }

  @Test
  void percentilesAreNearestRank() {
    List<Integer> hundred = IntStream.rangeClosed(1, 100).boxed().toList();
    Percentiles p = LoadStats.percentiles(hundred);
    assertThat(p.n()).as("n").isEqualTo(100);
    assertThat(p.p50()).as("p50 of 1..100").isEqualTo(50.0);
    assertThat(p.p95()).as("p95 of 1..100").isEqualTo(95.0);
    assertThat(p.p99()).as("p99 of 1..100").isEqualTo(99.0);
    assertThat(LoadStats.percentiles(List.of(4, 1, 3, 2)).p50()).as("p50 of 1..4, unsorted")
        .isEqualTo(2.0);
    assertThat(LoadStats.percentiles(List.of(4, 1, 3, 2)).p99()).as("p99 of 1..4").isEqualTo(4.0);
    Percentiles one = LoadStats.percentiles(List.of(7.5));
    assertThat(List.of(one.p50(), one.p95(), one.p99())).as("a single value is every percentile")
        .containsOnly(7.5);
  }

  @Test
  void percentilesOfNoValuesAreNullNotNaN() {
    Percentiles none = LoadStats.percentiles(List.of());
    assertThat(none.n()).as("n").isZero();
    assertThat(none.p50()).as("p50").isNull();
    assertThat(none.p99()).as("p99").isNull();
    assertThat(LoadStats.median(List.of())).as("median").isNull();
  }

  @Test
  void busyFractionMergesOverlapsAndClipsToTheWindow() {
    // window [0, 10]: [-2, 1] clips to 1 s; [2, 4] and [3, 5] merge to 3 s; [9, 12] clips to 1 s
    double busy = LoadStats.busyFraction(List.of(span(9, 12), span(2, 4), span(-2, 1), span(3, 5)),
        at(0), at(10));
    assertThat(busy).as("5 of 10 s busy").isCloseTo(0.5, within(1e-9));
  }

  @Test
  void parallelWorkCountsOnce() {
    double busy = LoadStats.busyFraction(List.of(span(1, 9), span(2, 3), span(2, 8), span(1, 9)),
        at(0), at(10));
    assertThat(busy).as("nested and identical spans").isCloseTo(0.8, within(1e-9));
    double touching = LoadStats.busyFraction(List.of(span(0, 5), span(5, 10)), at(0), at(10));
    assertThat(touching).as("back-to-back spans cover the window").isCloseTo(1.0, within(1e-9));
  }

  @Test
  void spansOutsideTheWindowOrNoneAreIdle() {
    assertThat(LoadStats.busyFraction(List.of(), at(0), at(10))).as("no spans").isZero();
    assertThat(LoadStats.busyFraction(List.of(span(-5, -1), span(11, 20)), at(0), at(10)))
        .as("spans before and after the window").isZero();
    assertThat(LoadStats.busyFraction(List.of(span(-5, 20)), at(0), at(10)))
        .as("one span over the whole window").isCloseTo(1.0, within(1e-9));
  }

  @Test
  void badInputIsRefused() {
    assertThatThrownBy(() -> LoadStats.busyFraction(List.of(), at(3), at(3)))
        .as("empty window").isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> span(2, 1)).as("span ending before it starts")
        .isInstanceOf(IllegalArgumentException.class);
  }
}
