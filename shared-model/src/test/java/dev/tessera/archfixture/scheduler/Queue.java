package dev.tessera.archfixture.scheduler;

import dev.tessera.archfixture.contract.Order;
import java.util.ArrayList;
import java.util.List;

/** A compliant scheduler class. */
public class Queue {
  private final List<Order> orders = new ArrayList<>();

  public int size() {
    return orders.size();
  }
}
