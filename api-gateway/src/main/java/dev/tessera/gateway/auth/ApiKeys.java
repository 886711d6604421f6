package dev.tessera.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API key format, {@code tsk_<prefix>_<secret>}: the 12-character prefix is public and finds the
 * key's row; only the SHA-256 of the whole key is stored, and it is compared in constant time.
 */
public final class ApiKeys {

  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final int PREFIX_LENGTH = 12;
  private static final int SECRET_LENGTH = 40;
  private static final Pattern FORMAT =
      Pattern.compile("tsk_([A-Za-z0-9]{" + PREFIX_LENGTH + "})_[A-Za-z0-9]{" + SECRET_LENGTH + "}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeys() {}

  /** A new key and its public prefix. */
  public record NewKey(String prefix, String key) {}

  /** Makes a new random key. */
  public static NewKey generate() {
    String prefix = random(PREFIX_LENGTH);
    return new NewKey(prefix, "tsk_" + prefix + "_" + random(SECRET_LENGTH));
  }

  /** The public prefix of a well-formed key, or empty if the text is not a Tessera key. */
  public static Optional<String> prefixOf(String key) {
    if (key == null) {
      return Optional.empty();
    }
    Matcher m = FORMAT.matcher(key);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** SHA-256 of the whole key, as stored. */
  public static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /** Constant-time comparison of a presented key with a stored hash. */
  public static boolean matches(String presented, byte[] storedSha256) {
    return MessageDigest.isEqual(sha256(presented), storedSha256);
  }

  private static String random(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }
}
