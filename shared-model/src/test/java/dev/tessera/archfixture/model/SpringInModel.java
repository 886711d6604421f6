package dev.tessera.archfixture.model;

import org.springframework.util.StringUtils;

/** Planted: the shared model calls Spring. */
public class SpringInModel {
  public boolean named(String name) {
    return StringUtils.hasText(name);
  }
}
