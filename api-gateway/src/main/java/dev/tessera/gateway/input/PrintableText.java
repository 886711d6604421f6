package dev.tessera.gateway.input;

import dev.tessera.gateway.problem.Echo;
import dev.tessera.gateway.problem.InvalidRequestException;
import dev.tessera.gateway.problem.ProblemType;

/**
 * Names people give things (tenants, keys): visible text only. Refused: control characters (NUL
 * among them, which PostgreSQL cannot store), invisible format characters (zero-width spaces and
 * joiners, bidirectional overrides, the BOM), line and paragraph separators, spaces other than
 * U+0020, lone surrogates, private-use and unassigned code points. Pure.
 */
public final class PrintableText {

  private PrintableText() {}

  /**
   * The value stripped of leading and trailing white space, if it is 1 to {@code maxLength}
   * visible characters; with {@code allowEmpty}, a missing or blank value is the empty name.
   *
   * @throws InvalidRequestException naming {@code field} otherwise
   */
  public static String require(String field, String value, int maxLength, boolean allowEmpty) {
    if (value == null || value.isBlank()) {
      if (allowEmpty) {
        return "";
      }
      throw new InvalidRequestException(ProblemType.MISSING_FIELD, field, field + " is required");
    }
    String stripped = value.strip();
    int length = stripped.codePointCount(0, stripped.length());
    if (length > maxLength) {
      throw new InvalidRequestException(ProblemType.INVALID_FIELD, field, field + " must be at most "
          + maxLength + " characters, was " + length);
    }
    for (int i = 0; i < stripped.length(); ) {
      int c = stripped.codePointAt(i);
      if (!Echo.isPrintable(c) && c != ' ') {
        throw new InvalidRequestException(ProblemType.INVALID_FIELD, field, field
            + " must be visible text; it holds the character " + String.format("U+%04X", c)
            + " at position " + stripped.codePointCount(0, i));
      }
      i += Character.charCount(c);
    }
    return stripped;
  }
}
