package dev.tessera.infra.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * What a local run keeps in its home directory ({@code .tessera} by default): the admin token and
 * the development tenant's key, each readable by the owner only.
 */
public final class LocalState {

  private LocalState() {}

  /** The local admin token: the one saved in {@code home/admin-token}, else a new one saved there. */
  public static String adminToken(Path home) throws IOException {
    Path file = home.resolve("admin-token");
    if (Files.exists(file)) {
      String known = Files.readString(file).trim();
      if (!known.isEmpty()) {
        return known;
      }
    }
    byte[] random = new byte[30];
    new SecureRandom().nextBytes(random);
    String token = "tadm_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Files.writeString(file, token + "\n");
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
    return token;
  }

  /** Where the gateway keeps the development tenant's key ({@code tessera.gateway.dev-key-file}). */
  public static Path devKeyFile(Path home) {
    return home.toAbsolutePath().resolve("dev-api-key");
  }

  /** The development tenant's key the gateway wrote. */
  public static String devKey(Path home) throws IOException {
    return Files.readString(devKeyFile(home)).trim();
  }
}
