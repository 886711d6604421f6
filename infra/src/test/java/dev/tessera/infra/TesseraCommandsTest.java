package dev.tessera.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The whole {@code ./tessera} command line (the launcher's commands and the worker's offline ones):
 * help for every command, serve's flags and its port check, all before anything starts.
 */
class TesseraCommandsTest {

  @TempDir
  Path checkout;

  record Run(int code, String out, String err) {}

  private Run run(String... args) {
    CommandLine tree = TesseraCommands.commandLine(checkout);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    tree.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    return new Run(tree.execute(args), out.toString(), err.toString());
  }

  private static List<List<String>> paths(CommandLine cmd, List<String> prefix) {
    List<List<String>> all = new ArrayList<>();
    cmd.getSubcommands().forEach((name, sub) -> {
      if (!name.equals("help")) {
        List<String> path = new ArrayList<>(prefix);
        path.add(name);
        all.add(path);
        all.addAll(paths(sub, path));
      }
    });
    return all;
  }

  @Test
  void everyCommandAnswersHelpWithItsUsage() {
    List<List<String>> paths = paths(TesseraCommands.commandLine(checkout), List.of());
    assertThat(paths).as("commands").contains(List.of("serve"), List.of("bench", "load"),
        List.of("bench", "fleet"), List.of("bench", "decode"), List.of("eval"),
        List.of("completion"));
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      Run r = run(args.toArray(String[]::new));
      assertThat(r.code()).as("exit code of " + args).isZero();
      assertThat(r.out()).as("usage of " + path)
          .startsWith("Usage: tessera " + String.join(" ", path));
    }
    assertThat(run("serve", "--help").out()).as("serve's options")
        .contains("--port", "--external", "--home", "--gateways", "--schedulers", "--workers");
    assertThat(run("help", "bench").out()).as("./tessera help bench lists every benchmark")
        .contains("step", "decode", "submit", "load", "fleet");
  }

  @Test
  void serveNamesABadFlagBeforeStartingAnything() {
    Run port = run("serve", "--port", "70000");
    assertThat(port.code()).as("exit code").isEqualTo(2);
    assertThat(port.err()).as("stderr").contains("--port must be in [1, 65535], got 70000");
    Run typo = run("serve", "--prot", "9090");
    assertThat(typo.code()).as("exit code of a typo").isEqualTo(2);
    assertThat(typo.err()).as("stderr").contains("unknown option '--prot'");
    Run workers = run("serve", "--workers=0");
    assertThat(workers.code()).as("exit code").isEqualTo(2);
    assertThat(workers.err()).as("stderr").contains("--workers must be in [1, 64], got 0");
  }

  @Test
  void serveKeepsItsFlagsAndPassesPropertiesToSpring() {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs("--port=9090", "--external", "--tessera.worker.max-images=8",
        "--workers", "3");
    ServeOptions o = command.options();
    assertThat(o.port()).as("--port=P").isEqualTo(9090);
    assertThat(o.external()).as("--external").isTrue();
    assertThat(o.springArgs()).as("Spring properties").containsExactly(
        "--tessera.worker.max-images=8");
    assertThat(o.cluster()).as("--workers 3 runs each instance as its own process").isTrue();
    assertThat(o.home()).as("default home").isEqualTo(Path.of(".tessera"));
  }

  @Test
  void serveOnABusyPortSaysSoInOneLine() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
      Run r = run("serve", "--port", Integer.toString(busy.getLocalPort()), "--home",
          checkout.resolve("home").toString());
      assertThat(r.code()).as("exit code").isEqualTo(1);
      assertThat(r.err().strip()).as("one line")
          .isEqualTo("./tessera serve: port " + busy.getLocalPort()
              + " is in use; choose another with --port P");
    }
    assertThat(checkout.resolve("home")).as("nothing started").doesNotExist();
  }
}
