package dev.tessera.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.gateway.problem.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageQueryTest {

  private static final Instant NOW = Instant.parse("2025-03-10T12:30:00Z");

  @Test
  void unixSecondsAndIsoInstantsAreBothTimesAndDefaultsFillTheRest() {
    UsageQuery q = UsageQuery.parse("1741564800", null, null, null, NOW);
    assertThat(q.start()).as("start").isEqualTo(Instant.parse("2025-03-10T00:00:00Z"));
    assertThat(q.end()).as("end defaults to now").isEqualTo(NOW);
    assertThat(q.bucket()).as("bucket defaults to a day").isEqualTo(Duration.ofDays(1));
    assertThat(q.buckets()).as("one day bucket").isEqualTo(1);
    UsageQuery h = UsageQuery.parse("2025-03-10T00:00:00Z", null, "1h", "api_key, model,model",
        NOW);
    assertThat(h.buckets()).as("13 hour buckets, the last one partly in the future").isEqualTo(13);
    assertThat(h.groupBy()).as("group keys in order, once").isEqualTo(List.of("api_key", "model"));
  }

  @Test
  void eachBadParameterIsNamed() {
    assertField(() -> UsageQuery.parse(null, null, null, null, NOW), "start");
    assertField(() -> UsageQuery.parse("soon", null, null, null, NOW), "start");
    assertField(() -> UsageQuery.parse("100", "abc", null, null, NOW), "end");
    assertField(() -> UsageQuery.parse("100", "100", null, null, NOW), "end");
    assertField(() -> UsageQuery.parse("100", "200", "1m", null, NOW), "bucket");
    assertField(() -> UsageQuery.parse("0", null, "1h", null, NOW), "end");
    assertField(() -> UsageQuery.parse("100", "200", "1h", "tenant", NOW), "group_by");
  }

  private static void assertField(Runnable parse, String field) {
    assertThatThrownBy(parse::run).as("refused, naming " + field)
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.field()).as("field").isEqualTo(field));
  }
}
