package dev.tessera.gateway.input;

import dev.tessera.gateway.problem.Echo;
import dev.tessera.gateway.problem.InvalidRequestException;
import dev.tessera.gateway.problem.ProblemType;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * RFC 3339 date-times (section 5.6), strictly: a four-digit year, {@code T}, seconds, an optional
 * fraction of 1 to 9 digits, and {@code Z} or a {@code ±hh:mm} offset. Java's ISO parser alone also
 * takes an empty fraction ({@code 12:00:00.Z}) and years of five digits and more ({@code
 * +300000-01-01}), which PostgreSQL cannot store. Pure.
 */
public final class Rfc3339 {

  private static final Pattern FORMAT = Pattern.compile(
      "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

  private Rfc3339() {}

  /**
   * Parses an RFC 3339 date-time.
   *
   * @throws InvalidRequestException naming {@code field} if {@code text} is not one
   */
  public static Instant parse(String field, String text) {
    if (text != null && text.length() <= 40 && FORMAT.matcher(text).matches()) {
      try {
        return OffsetDateTime.parse(text.toUpperCase(Locale.ROOT)).toInstant();
      } catch (DateTimeException e) {
        // a field out of its range (month 13, hour 24, offset +25:00): answered below
      }
    }
    throw new InvalidRequestException(ProblemType.INVALID_FIELD, field, field
        + " must be an RFC 3339 time with an offset, e.g. 2030-01-01T12:00:00Z, was '"
        + Echo.value(text) + "'");
  }
}
