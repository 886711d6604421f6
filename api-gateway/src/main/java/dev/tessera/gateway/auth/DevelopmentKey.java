package dev.tessera.gateway.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * For local runs ({@code ./tessera serve}, one process or a cluster): once the gateway is up, the
 * {@value LocalSystemTenant#NAME} tenant exists and {@code tessera.gateway.dev-key-file} holds a
 * valid key of it (the one already there if it still works, else a new one), readable by the owner
 * only. Off unless that property is set; exactly one gateway of a local cluster sets it.
 */
@Component
@ConditionalOnProperty(DevelopmentKey.KEY_FILE)
class DevelopmentKey {

  /** The property naming the file. */
  static final String KEY_FILE = "tessera.gateway.dev-key-file";

  private final TenantService tenants;
  private final Path file;

  DevelopmentKey(TenantService tenants, org.springframework.core.env.Environment environment) {
    this.tenants = tenants;
    this.file = Path.of(environment.getRequiredProperty(KEY_FILE));
  }

  @EventListener(ApplicationReadyEvent.class)
  void ensure() {
    try {
      String known = Files.exists(file) ? Files.readString(file).trim() : null;
      TenantService.IssuedKey key = tenants.ensureTenantKey(LocalSystemTenant.NAME, known);
      if (!key.key().equals(known)) {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(partial, key.key() + "\n");
        try {
          Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system
        }
        Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write " + file, e);
    }
  }

  /** The tenant local runs create. */
  static final class LocalSystemTenant {
    static final String NAME = "development";

    private LocalSystemTenant() {}
  }
}
