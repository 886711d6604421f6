package dev.tessera.archfixture.model;

import dev.tessera.archfixture.gateway.Routing;

/** Planted: the shared model uses a service. */
public class KnowsGateway {
  public String route(Routing routing) {
    return routing.toString();
  }
}
