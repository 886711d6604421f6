package dev.tessera.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

class LoadOptionsTest {

  /** Parses {@code args} as {@code bench load} does and checks them. */
  private static LoadOptions parse(String... args) {
    BenchLoadCommand command = new BenchLoadCommand(System.out, System.err, Path.of(""));
    new CommandLine(command).parseArgs(args);
    return command.options();
  }

  @Test
  void defaultsStartTheEmbeddedSystemForASteadyMinute() {
    LoadOptions o = parse();
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
    LoadOptions o = parse(new String[] {"--scenario", "fairness", "--seconds=10",
        "--tessera.worker.max-images=4", "--json"});
    assertThat(o.scenario()).as("scenario").isEqualTo(Scenario.FAIRNESS);
    assertThat(o.seconds()).as("seconds").isEqualTo(10);
    assertThat(o.rampSeconds()).as("ramp of a short run").isEqualTo(2.0);
    assertThat(o.springArgs()).as("spring args").containsExactly("--tessera.worker.max-images=4");
    assertThat(o.json()).as("json").isTrue();
  }

  @Test
  void aRunningSystemNeedsCredentials() {
    assertThatThrownBy(() -> parse(new String[] {"--url", "http://localhost:8080"}))
        .as("url without a key or token").isInstanceOf(ParameterException.class)
        .hasMessageContaining("--admin-token");
    assertThatThrownBy(() -> parse(new String[] {"--url", "http://x:1", "--api-key",
        "tsk_a", "--scenario", "fairness"})).as("fairness with only an API key")
        .isInstanceOf(ParameterException.class).hasMessageContaining("two tenants");
    assertThatThrownBy(() -> parse(new String[] {"--api-key", "tsk_a"}))
        .as("a key without --url").isInstanceOf(ParameterException.class);
    assertThatThrownBy(() -> parse(new String[] {"--url", "http://x:1",
        "--admin-token", "t", "--tessera.worker.max-images=4"}))
        .as("embedded-system properties with --url").isInstanceOf(ParameterException.class);
    LoadOptions o = parse(new String[] {"--url", "http://x:1", "--api-key", "tsk_a",
        "--scenario", "priority"});
    assertThat(o.apiKey()).as("api key for a single-tenant scenario").isEqualTo("tsk_a");
  }

  @Test
  void badValuesAreUsageErrorsWithExitCode2() {
    assertThatThrownBy(() -> parse(new String[] {"--scenario", "burst"}))
        .as("unknown scenario").isInstanceOf(ParameterException.class).hasMessageContaining("burst");
    assertThatThrownBy(() -> parse(new String[] {"--seconds", "1"}))
        .as("too short").isInstanceOf(ParameterException.class);
    assertThatThrownBy(() -> parse(new String[] {"--seconds", "10", "--ramp", "6"}))
        .as("ramp over half the run").isInstanceOf(ParameterException.class);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = BenchLoadCommand.run(new String[] {"--scenario", "burst"},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
    assertThat(code).as("exit code").isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).as("usage printed")
        .contains("--scenario").contains("Usage: load");
  }
}
