package dev.tessera.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.worker.cli.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {

  @Test
  void defaultsStartTheEmbeddedSystemForASteadyMinute() {
    LoadOptions o = LoadOptions.parse(new String[0]);
    assertThat(o.scenario()).as("scenario").isEqualTo(Scenario.STEADY);
    assertThat(o.url()).as("no url: embedded").isNull();
    assertThat(o.seconds()).as("seconds").isEqualTo(60);
    assertThat(o.rampSeconds()).as("ramp = seconds/5, at most 15").isEqualTo(12.0);
    assertThat(o.drainSeconds()).as("0: drain from the loaded rate").isZero();
    assertThat(o.concurrency()).as("0: twice the worker's slots").isZero();
    assertThat(o.model() + "/" + o.strategy()).as("model/strategy").isEqualTo("fm-ar/ar");
    assertThat(o.json()).as("json").isFalse();
  }

  @Test
  void propertiesWithADotGoToTheEmbeddedSystem() {
    LoadOptions o = LoadOptions.parse(new String[] {"--scenario", "fairness", "--seconds=10",
        "--tessera.worker.max-images=4", "--json"});
    assertThat(o.scenario()).as("scenario").isEqualTo(Scenario.FAIRNESS);
    assertThat(o.seconds()).as("seconds").isEqualTo(10);
    assertThat(o.rampSeconds()).as("ramp of a short run").isEqualTo(2.0);
    assertThat(o.springArgs()).as("spring args").containsExactly("--tessera.worker.max-images=4");
    assertThat(o.json()).as("json").isTrue();
  }

  @Test
  void aRunningSystemNeedsCredentials() {
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--url", "http://localhost:8080"}))
        .as("url without a key or token").isInstanceOf(UsageException.class)
        .hasMessageContaining("--admin-token");
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--url", "http://x:1", "--api-key",
        "tsk_a", "--scenario", "fairness"})).as("fairness with only an API key")
        .isInstanceOf(UsageException.class).hasMessageContaining("two tenants");
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--api-key", "tsk_a"}))
        .as("a key without --url").isInstanceOf(UsageException.class);
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--url", "http://x:1",
        "--admin-token", "t", "--tessera.worker.max-images=4"}))
        .as("embedded-system properties with --url").isInstanceOf(UsageException.class);
    LoadOptions o = LoadOptions.parse(new String[] {"--url", "http://x:1", "--api-key", "tsk_a",
        "--scenario", "priority"});
    assertThat(o.apiKey()).as("api key for a single-tenant scenario").isEqualTo("tsk_a");
  }

  @Test
  void badValuesAreUsageErrorsWithExitCode2() {
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--scenario", "burst"}))
        .as("unknown scenario").isInstanceOf(UsageException.class).hasMessageContaining("burst");
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--seconds", "1"}))
        .as("too short").isInstanceOf(UsageException.class);
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--seconds", "10", "--ramp", "6"}))
        .as("ramp over half the run").isInstanceOf(UsageException.class);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = BenchLoadCommand.run(new String[] {"--scenario", "burst"},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
    assertThat(code).as("exit code").isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).as("usage printed")
        .contains("usage: ./tessera bench load");
  }
}
