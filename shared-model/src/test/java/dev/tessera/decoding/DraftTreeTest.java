package dev.tessera.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DraftTreeTest {

  private static DraftTree.Node node(int token, int parent, int depth, double score) {
    return new DraftTree.Node(token, parent, depth, score, null);
  }

  @Test
  void rerankKeepsTheBestNodesWithTheirAncestorsInCreationOrder() {
    List<DraftTree.Node> drafted = List.of(
        node(5, -1, 1, Math.log(0.6)), // 0
        node(7, -1, 1, Math.log(0.3)), // 1
        node(2, 0, 2, Math.log(0.6 * 0.9)), // 2
        node(3, 0, 2, Math.log(0.6 * 0.05)), // 3
        node(4, 1, 2, Math.log(0.3 * 0.8)), // 4
        node(6, 2, 3, Math.log(0.6 * 0.9 * 0.9))); // 5
    DraftTree t = DraftTree.rerank(drafted, 4);
    assertThat(t.nodes).extracting(n -> n.token).as("kept, creation order").containsExactly(5, 7, 2, 6);
    assertThat(t.children(-1)).as("root's children, best first").containsExactly(0, 1);
    assertThat(t.children(0)).as("children of token 5").containsExactly(2);
    assertThat(t.path(3)).as("path to token 6").containsExactly(0, 2, 3);
    assertThat(t.children(1)).as("token 7's child was cut").isEmpty();
  }

  @Test
  void aStaticTreePutsItsSpineRightBehindTheRootAndKeepsTheDrawingOrder() {
    List<DraftTree.Node> drafted = List.of(
        spine(5, -1, 1), node(7, -1, 1, 0), // depth 1: 5 drawn first, then 7
        spine(2, 0, 2), node(3, 0, 2, 0), // depth 2, under 5
        spine(6, 2, 3), node(4, 2, 3, 0)); // depth 3, under 2
    DraftTree t = DraftTree.spineFirst(drafted);
    assertThat(t.nodes).extracting(n -> n.token).as("spine first").containsExactly(5, 2, 6, 7, 3, 4);
    assertThat(t.path(2)).as("the spine's path is slots 0, 1, 2").containsExactly(0, 1, 2);
    assertThat(t.children(-1)).as("root: 5 before 7, as drawn").containsExactly(0, 3);
    assertThat(t.children(0)).as("under 5: 2 before 3").containsExactly(1, 4);
    assertThat(t.children(1)).as("under 2: 6 before 4").containsExactly(2, 5);
  }

  private static DraftTree.Node spine(int token, int parent, int depth) {
    DraftTree.Node n = node(token, parent, depth, 0);
    n.spine = true;
    return n;
  }

  @Test
  void topKTakesTheLargestFirstAndTheSmallerIndexOnTies() {
    double[] q = {0.1, 0.3, 0.05, 0.3, 0.25};
    assertThat(SpeculativeDecoder.topK(q, 3)).containsExactly(1, 3, 4);
    assertThat(SpeculativeDecoder.topK(q, 9)).containsExactly(1, 3, 4, 0, 2);
  }
}
