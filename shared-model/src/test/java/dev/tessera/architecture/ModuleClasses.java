package dev.tessera.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Files;
import java.nio.file.Path;

/** The main classes of the module whose tests run: its {@code target/classes}, no dependency. */
public final class ModuleClasses {

  private ModuleClasses() {}

  /** Imports {@code target/classes} of the module under test (Surefire runs in its directory). */
  public static JavaClasses main() {
    Path dir = Path.of(System.getProperty("basedir", "."), "target", "classes");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("no compiled main classes at " + dir.toAbsolutePath());
    }
    JavaClasses classes = new ClassFileImporter().importPath(dir);
    if (classes.isEmpty()) {
      throw new IllegalStateException("no classes imported from " + dir.toAbsolutePath());
    }
    return classes;
  }
}
