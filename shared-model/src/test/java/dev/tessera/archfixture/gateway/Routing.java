package dev.tessera.archfixture.gateway;

import dev.tessera.archfixture.contract.Order;

/** A compliant service class: it uses the contract only. */
public class Routing {
  public String key(Order order) {
    return order.id();
  }
}
