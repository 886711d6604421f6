package dev.tessera.process;

import java.util.Optional;

/**
 * Ends this process (through {@link System#exit}, so shutdown hooks run) when the process that
 * started it is gone: a service started by {@code ./tessera serve --workers N} (system property
 * {@value #PROPERTY} = the launcher's pid) must not outlive a launcher killed with SIGKILL.
 */
public final class ParentWatch {

  /** The system property naming the parent's pid. */
  public static final String PROPERTY = "tessera.parent-pid";

  private ParentWatch() {}

  /** Starts watching if {@value #PROPERTY} is set; a daemon thread, so it never keeps the JVM up. */
  public static void startIfAsked() {
    parent().ifPresent(parent -> {
      Thread t = new Thread(() -> {
        parent.onExit().join();
        System.err.println("tessera: parent process " + parent.pid() + " is gone; stopping");
        System.exit(0);
      }, "tessera-parent-watch");
      t.setDaemon(true);
      t.start();
    });
  }

  private static Optional<ProcessHandle> parent() {
    String pid = System.getProperty(PROPERTY);
    if (pid == null || pid.isBlank()) {
      return Optional.empty();
    }
    Optional<ProcessHandle> parent = ProcessHandle.of(Long.parseLong(pid.trim()));
    if (parent.isEmpty() || !parent.get().isAlive()) {
      System.err.println("tessera: parent process " + pid + " is not running; stopping");
      System.exit(0);
    }
    return parent;
  }
}
