package dev.tessera.decoding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * One sequence's drafts for one step: nodes in creation order, each with its token, its parent (−1
 * for the root, the last committed token) and its depth. A chain is the tree where every node has one
 * child, drawn from the drafter's distribution (kept with the node); an EAGLE-2 dynamic tree keeps the
 * drafter's top children, deterministic (algorithms.md §4.1); a LANTERN++ static tree draws its
 * children without replacement, each kept with the distribution it was drawn from (§4.2).
 */
final class DraftTree {

  /** A drafted node while drafting: where it came from and what the drafter said after it. */
  static final class Node {
    final int token;
    final int parent; // index in the draft's node list, −1 for the root
    final int depth; // 1 for the root's children
    final double score; // cumulative log q along the path (tree ranking)
    final double[] q; // what a chain draft or a static tree's child was drawn from; null otherwise
    boolean spine; // a static tree's expanded first child (or the last first child)
    int slot = -1; // drafter cache position once fed
    float[][] feature; // drafter output after this node, per stream, once fed

    Node(int token, int parent, int depth, double score, double[] q) {
      this.token = token;
      this.parent = parent;
      this.depth = depth;
      this.score = score;
      this.q = q;
    }
  }

  final List<Node> nodes;
  private final int[][] children; // index 0: the root's; i + 1: node i's, in verification order

  private DraftTree(List<Node> nodes) {
    this.nodes = nodes;
    List<List<Integer>> kids = new ArrayList<>();
    for (int i = 0; i <= nodes.size(); i++) {
      kids.add(new ArrayList<>());
    }
    for (int i = 0; i < nodes.size(); i++) {
      kids.get(nodes.get(i).parent + 1).add(i);
    }
    this.children = new int[nodes.size() + 1][];
    for (int i = 0; i <= nodes.size(); i++) {
      List<Integer> c = kids.get(i);
      c.sort(Comparator.comparingDouble((Integer n) -> -nodes.get(n).score)
          .thenComparingInt(n -> n));
      children[i] = c.stream().mapToInt(Integer::intValue).toArray();
    }
  }

  /** A chain: every node is its predecessor's child. */
  static DraftTree chain(List<Node> nodes) {
    return new DraftTree(nodes);
  }

  /**
   * A static tree with its spine (the expanded first children, one per depth) first, then the other
   * siblings in creation order: when the spine is accepted, its keys and values already sit right
   * behind the root and nothing needs compacting. Each node's children keep their drawing order.
   */
  static DraftTree spineFirst(List<Node> drafted) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < drafted.size(); i++) {
      if (drafted.get(i).spine) {
        order.add(i);
      }
    }
    for (int i = 0; i < drafted.size(); i++) {
      if (!drafted.get(i).spine) {
        order.add(i);
      }
    }
    return renumbered(drafted, order);
  }

  /**
   * EAGLE-2's rerank: the {@code total} best drafted nodes by cumulative score (ties: the earlier
   * one), in creation order, renumbered. A parent scores at least as high as its children and was
   * created first, so the kept set holds every kept node's ancestors.
   */
  static DraftTree rerank(List<Node> drafted, int total) {
    Integer[] order = new Integer[drafted.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer n) -> -drafted.get(n).score)
        .thenComparingInt(n -> n));
    Integer[] kept = Arrays.copyOf(order, Math.min(total, order.length));
    Arrays.sort(kept);
    return renumbered(drafted, Arrays.asList(kept));
  }

  /** The nodes {@code order} names, in that order, parents renumbered; each parent must come first. */
  private static DraftTree renumbered(List<Node> drafted, List<Integer> order) {
    int[] newIndex = new int[drafted.size()];
    Arrays.fill(newIndex, -1);
    List<Node> out = new ArrayList<>();
    for (int n : order) {
      Node d = drafted.get(n);
      int parent = d.parent < 0 ? -1 : newIndex[d.parent];
      if (d.parent >= 0 && parent < 0) {
        throw new IllegalStateException("a kept node's parent was dropped or placed after it");
      }
      newIndex[n] = out.size();
      out.add(new Node(d.token, parent, d.depth, d.score, d.q));
    }
    return new DraftTree(out);
  }

  int size() {
    return nodes.size();
  }

  /** Children of node i (−1: the root), best first. */
  int[] children(int i) {
    return children[i + 1];
  }

  /** Node i and its ancestors, as node indices, root side first. */
  int[] path(int i) {
    int n = 0;
    for (int a = i; a >= 0; a = nodes.get(a).parent) {
      n++;
    }
    int[] path = new int[n];
    for (int a = i; a >= 0; a = nodes.get(a).parent) {
      path[--n] = a;
    }
    return path;
  }
}
