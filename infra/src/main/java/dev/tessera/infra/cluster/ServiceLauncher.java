package dev.tessera.infra.cluster;

import dev.tessera.process.ParentWatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a service's deployable jar as a child process: the same {@code java} as this JVM, small
 * heaps, quick start-up (C1 only: the services spend their time in I/O and, for the worker, in
 * native PyTorch), the parent's pid (the child stops when this process is gone), Spring properties
 * as {@code --name=value} arguments and secrets in the environment; output to its log file (a
 * restarted instance appends to its predecessor's).
 * {@code TESSERA_CHILD_JAVA_OPTS} adds JVM options.
 */
final class ServiceLauncher {

  private final Path projectRoot;
  private final Path logs;

  ServiceLauncher(Path projectRoot, Path logs) {
    this.projectRoot = projectRoot;
    this.logs = logs;
  }

  ServiceProcess launch(ServiceKind kind, String name, String instanceId, int port,
      Map<String, Object> properties, Map<String, String> environment, boolean restart) {
    Path jar = kind.jar(projectRoot).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build the deployables first (mvn -B "
          + "-DskipTests package, or any ./tessera command)");
    }
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss4m",
        kind == ServiceKind.WORKER ? "-Xmx1g" : "-Xmx512m",
        "-D" + ParentWatch.PROPERTY + "=" + ProcessHandle.current().pid()));
    if (kind == ServiceKind.WORKER) {
      command.addAll(List.of("-Dai.djl.offline=true", "-Dai.djl.pytorch.num_interop_threads=1"));
    }
    String extra = System.getenv("TESSERA_CHILD_JAVA_OPTS");
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port));
    properties.forEach((k, v) -> command.add("--" + k + "=" + v));
    try {
      Files.createDirectories(logs);
      Path log = logs.resolve(name + ".log");
      ProcessBuilder builder = new ProcessBuilder(command)
          .directory(projectRoot.toFile())
          .redirectErrorStream(true)
          .redirectOutput(restart ? ProcessBuilder.Redirect.appendTo(log.toFile())
              : ProcessBuilder.Redirect.to(log.toFile()));
      Map<String, String> env = builder.environment();
      env.put("DJL_OFFLINE", "true");
      env.put("OPT_OUT_TRACKING", "true");
      env.put("MALLOC_ARENA_MAX", "1");
      env.putAll(environment);
      return new ServiceProcess(kind, name, instanceId, port, log, builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }
}
