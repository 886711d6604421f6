package dev.tessera.gateway.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.gateway.problem.Echo;
import dev.tessera.gateway.problem.InvalidRequestException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InputChecksTest {

  @Test
  void rfc3339TakesOffsetsAndFractionsOfOneToNineDigits() {
    assertThat(Rfc3339.parse("d", "2030-01-02T03:04:05Z")).as("Z")
        .isEqualTo(Instant.parse("2030-01-02T03:04:05Z"));
    assertThat(Rfc3339.parse("d", "2030-01-02t04:04:05.5+01:00")).as("lower-case t, offset")
        .isEqualTo(Instant.parse("2030-01-02T03:04:05.5Z"));
    assertThat(Rfc3339.parse("d", "2030-01-02T03:04:05.123456789z")).as("nine digits")
        .isEqualTo(Instant.parse("2030-01-02T03:04:05.123456789Z"));
  }

  @Test
  void rfc3339RefusesWhatJavasIsoParserWouldTake() {
    for (String text : new String[] {"2030-01-02T03:04:05.Z", "+300000-01-01T00:00:00Z",
        "10000-01-01T00:00:00Z", "2030-01-02T03:04:05", "2030-01-02T03:04Z",
        "2030-13-02T03:04:05Z", "2030-01-02T24:00:00Z", "2030-01-02T03:04:05+24:00",
        "2030-01-02T03:04:05.1234567890Z", "2030-01-02 03:04:05Z", "", "\u0000"}) {
      assertThatThrownBy(() -> Rfc3339.parse("deadline", text)).as("'" + text + "'")
          .isInstanceOfSatisfying(InvalidRequestException.class,
              e -> assertThat(e.field()).as("field").isEqualTo("deadline"));
    }
  }

  @Test
  void printableTextRefusesControlAndInvisibleCharacters() {
    for (String text : new String[] {"a\u0000b", "bell\u0007", "line\nbreak", "zero\u200bwidth",
        "\u202eevil", "\ufeffbom", "nb\u00a0sp", "x\ud800", "\ue000", "a\u2028b"}) {
      assertThatThrownBy(() -> PrintableText.require("name", text, 100, false))
          .as("'" + Echo.value(text) + "'").isInstanceOf(InvalidRequestException.class);
    }
    assertThat(PrintableText.require("name", "  Acme GmbH — Zürich 東京 🙂 ", 100, false))
        .as("visible text of any script, stripped").isEqualTo("Acme GmbH — Zürich 東京 🙂");
  }

  @Test
  void printableTextCountsCharactersAndTakesBlankAsEmptyOnlyWhenAllowed() {
    assertThat(PrintableText.require("name", "🙂".repeat(100), 100, false)).as("100 emoji")
        .hasSize(200);
    assertThatThrownBy(() -> PrintableText.require("name", "x".repeat(101), 100, false))
        .as("101 characters").isInstanceOf(InvalidRequestException.class);
    assertThat(PrintableText.require("name", "   ", 100, true)).as("blank, optional").isEmpty();
    assertThatThrownBy(() -> PrintableText.require("name", "   ", 100, false))
        .as("blank, required").isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void echoCutsLongValuesAndEscapesInvisibleOnes() {
    String echoed = Echo.value("y".repeat(10_000_000));
    assertThat(echoed).as("a 10 MB value").startsWith("y".repeat(Echo.MAX_VALUE))
        .endsWith("(10000000 characters in all)").hasSizeLessThan(Echo.MAX_VALUE + 40);
    assertThat(Echo.value("a\u0000b\u200bc")).as("NUL and zero-width space")
        .isEqualTo("a\\u0000b\\u200Bc");
  }
}
