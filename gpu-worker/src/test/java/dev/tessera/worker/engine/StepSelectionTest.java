package dev.tessera.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.contract.Priority;
import dev.tessera.worker.engine.StepSelection.Decoding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepSelectionTest {

  private final List<Decoding> running = new ArrayList<>();
  private final Map<String, Integer> decoding = new HashMap<>();

  private void add(String id, String tenant, Priority priority) {
    running.add(new Decoding(id, tenant, priority));
    decoding.merge(tenant, 1, Integer::sum);
  }

  private void flood(String tenant, int images) {
    for (int i = 0; i < images; i++) {
      add(tenant + i, tenant, Priority.NORMAL);
    }
  }

  @Test
  void oneTenantAloneStepsEverything() {
    flood("heavy", 12);

    assertThat(StepSelection.stepping(running, false, decoding, 4))
        .as("no light tenant: the full width steps").hasSize(12);
  }

  @Test
  void aLightTenantBesideAFloodStepsWithTheFloodsOldestUpToTheWidth() {
    flood("heavy", 11);
    add("light0", "light", Priority.NORMAL);

    assertThat(StepSelection.stepping(running, false, decoding, 4))
        .as("the light image and the flood's three oldest")
        .containsExactlyInAnyOrder("heavy0", "heavy1", "heavy2", "light0");
  }

  @Test
  void manyLightTenantsAllStepAndTheFloodKeepsOneImageGoing() {
    flood("heavy", 6);
    for (int i = 0; i < 5; i++) {
      add("light" + i, "light-" + i, Priority.NORMAL);
    }

    assertThat(StepSelection.stepping(running, false, decoding, 4))
        .as("every light tenant's image steps, and the flood never stops entirely")
        .containsExactlyInAnyOrder("light0", "light1", "light2", "light3", "light4", "heavy0");
  }

  @Test
  void tenantsOfOneImageEachAreAllLightAndAllStep() {
    for (int i = 0; i < 8; i++) {
      add("t" + i, "tenant-" + i, Priority.NORMAL);
    }

    assertThat(StepSelection.stepping(running, false, decoding, 4))
        .as("nobody is a flood: no cap").hasSize(8);
  }

  @Test
  void aHighPriorityImageStepsAloneWhateverTheTenants() {
    flood("heavy", 5);
    add("urgent", "heavy", Priority.HIGH);
    add("light0", "light", Priority.NORMAL);

    assertThat(StepSelection.stepping(running, true, decoding, 4))
        .as("only high priority steps while it decodes").containsExactly("urgent");
  }

  @Test
  void aWidthOfZeroTurnsTheCapOff() {
    flood("heavy", 11);
    add("light0", "light", Priority.NORMAL);

    assertThat(StepSelection.stepping(running, false, decoding, 0)).hasSize(12);
  }

  @Test
  void theFloodWaitsToJoinWhileItFillsTheWidthLeftByALightTenant() {
    flood("heavy", 3);
    add("light0", "light", Priority.NORMAL);

    assertThat(StepSelection.mayJoin("heavy", Priority.NORMAL, running, decoding, 4))
        .as("three heavy images already fill 4 − 1").isFalse();
    assertThat(StepSelection.mayJoin("other", Priority.NORMAL, running, decoding, 4))
        .as("a tenant with nothing decoding joins at once").isTrue();
    assertThat(StepSelection.mayJoin("heavy", Priority.HIGH, running, decoding, 4))
        .as("high priority joins at once").isTrue();
    assertThat(StepSelection.mayJoin("light", Priority.NORMAL, running, decoding, 4))
        .as("the light tenant may grow toward its share").isTrue();
  }

  @Test
  void theFloodJoinsFreelyWhenNoLightTenantDecodes() {
    flood("heavy", 10);

    assertThat(StepSelection.mayJoin("heavy", Priority.NORMAL, running, decoding, 4)).isTrue();
  }
}
