package dev.tessera.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiKeysTest {

  @Test
  void aGeneratedKeyHasItsPublicPrefixAndMatchesOnlyItsOwnHash() {
    ApiKeys.NewKey key = ApiKeys.generate();
    ApiKeys.NewKey other = ApiKeys.generate();

    assertThat(ApiKeys.prefixOf(key.key())).as("prefix parsed back").contains(key.prefix());
    assertThat(ApiKeys.matches(key.key(), ApiKeys.sha256(key.key()))).as("own hash").isTrue();
    assertThat(ApiKeys.matches(other.key(), ApiKeys.sha256(key.key()))).as("other hash").isFalse();
    assertThat(key.key()).as("keys are unique").isNotEqualTo(other.key());
    assertThat(ApiKeys.sha256(key.key())).as("SHA-256 is 32 bytes").hasSize(32);
  }

  @Test
  void textThatIsNotAKeyHasNoPrefix() {
    assertThat(ApiKeys.prefixOf(null)).as("null").isEmpty();
    assertThat(ApiKeys.prefixOf("tsk_short_secret")).as("wrong lengths").isEmpty();
    assertThat(ApiKeys.prefixOf("sk-" + "a".repeat(50))).as("another vendor's key").isEmpty();
    String valid = ApiKeys.generate().key();
    assertThat(ApiKeys.prefixOf(valid + "x")).as("trailing garbage").isEmpty();
  }
}
