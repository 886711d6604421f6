package dev.tessera.gateway.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContentTypeFilterTest {

  @Test
  void wildcardUnparseableAndUnknownCharsetContentTypesAreRefused() {
    for (String header : new String[] {"*/*", "application/*", "application/*+json", "nonsense",
        "application/json; charset=nope", "multipart/form-data; boundary=", ""}) {
      assertThat(ContentTypeFilter.refusal(header)).as("'" + header + "'").isNotNull();
    }
  }

  @Test
  void concreteContentTypesPass() {
    for (String header : new String[] {"application/json", "application/json; charset=UTF-8",
        "text/plain", "multipart/form-data; boundary=x"}) {
      assertThat(ContentTypeFilter.refusal(header)).as("'" + header + "'").isNull();
    }
  }
}
