package dev.tessera.infra.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciliation finds each kind of broken promise: every test starts from a clean run (all
 * zeros) and plants one fault in what the stores or the clients report.
 */
class ReconciliationTest {

  private final List<StoredGeneration> stored = new ArrayList<>();
  private final List<Ticket> tickets = new ArrayList<>();
  private final Map<String, StatusWatcher.Watch> watches = new HashMap<>();
  private final Map<String, Long> usage = new HashMap<>();
  private final Map<String, Integer> results = new HashMap<>();
  private final Map<String, String> cached = new HashMap<>();

  @BeforeEach
  void aCleanRun() {
    for (int i = 0; i < 4; i++) {
      String id = "g" + i;
      boolean ok = i < 3;
      stored.add(new StoredGeneration(id, "t", "k" + i, ok ? "SUCCEEDED" : "FAILED",
          ok ? null : "decode_error", 1, ok ? "SUCCEEDED" : "FAILED", ok));
      Ticket t = new Ticket("t", "key", "k" + i, "{}");
      t.ids.add(id);
      t.outcome = Ticket.Outcome.ACCEPTED;
      tickets.add(t);
      StatusWatcher.Watch w = new StatusWatcher.Watch("key");
      w.terminalStatus = ok ? "SUCCEEDED" : "FAILED";
      watches.put(id, w);
      results.put(id, 1);
      cached.put(id, w.terminalStatus);
    }
    usage.put("t", 3L);
  }

  private Reconciliation check() {
    return Reconciliation.of(stored, tickets, watches, usage, results, cached);
  }

  @Test
  void aCleanRunHasNoViolations() {
    Reconciliation r = check();
    assertThat(r.accepted()).isEqualTo(4);
    assertThat(r.succeeded()).isEqualTo(3);
    assertThat(r.failed()).containsEntry("decode_error", 1L);
    assertThat(List.of(r.lost(), r.duplicated(), r.billingMismatches(), r.storedButRefused(),
        r.cacheMismatches(), r.decodedTwice())).containsOnly(0L);
    assertThat(r.problems()).isEmpty();
  }

  @Test
  void aRequestStillQueuedIsLost() {
    stored.set(0, new StoredGeneration("g0", "t", "k0", "QUEUED", null, 0, null, null));
    usage.put("t", 2L);
    assertThat(check().lost()).isEqualTo(1);
  }

  @Test
  void aRequestAnswered202ThatIsNotStoredIsLost() {
    stored.remove(3);
    assertThat(check().lost()).isEqualTo(1);
  }

  @Test
  void aTicketAnsweredWithTwoGenerationsIsADuplicate() {
    tickets.get(0).ids.add("g1");
    assertThat(check().duplicated()).isEqualTo(1);
  }

  @Test
  void twoGenerationsUnderOneKeyAreADuplicate() {
    stored.add(new StoredGeneration("g9", "t", "k0", "FAILED", "x", 1, "FAILED", false));
    assertThat(check().duplicated()).isEqualTo(1);
  }

  @Test
  void aStateThatChangesAfterItWasTerminalIsADuplicate() {
    watches.get("g1").wentBackTo = "RUNNING null";
    assertThat(check().duplicated()).isEqualTo(1);
  }

  @Test
  void aClientToldSucceededWhilePostgresqlSaysFailedIsADuplicate() {
    watches.get("g3").terminalStatus = "SUCCEEDED";
    assertThat(check().duplicated()).isEqualTo(1);
  }

  @Test
  void aMissingUsageEventIsABillingMismatch() {
    stored.set(1, new StoredGeneration("g1", "t", "k1", "SUCCEEDED", null, 0, null, null));
    assertThat(check().billingMismatches()).isEqualTo(1);
  }

  @Test
  void aUsageEventThatBillsAFailureIsABillingMismatch() {
    stored.set(3, new StoredGeneration("g3", "t", "k3", "FAILED", "x", 1, "FAILED", true));
    assertThat(check().billingMismatches()).isEqualTo(1);
  }

  @Test
  void aUsageEventOfAnUnfinishedRequestIsABillingMismatch() {
    stored.set(3, new StoredGeneration("g3", "t", "k3", "RUNNING", null, 1, "FAILED", false));
    Reconciliation r = check();
    assertThat(r.billingMismatches()).isEqualTo(1);
    assertThat(r.lost()).isEqualTo(1);
  }

  @Test
  void aUsageApiTotalThatDiffersFromTheSucceededCountIsABillingMismatch() {
    usage.put("t", 4L);
    assertThat(check().billingMismatches()).isEqualTo(1);
  }

  @Test
  void aRefusalFollowedByAReplayIsStoredButRefused() {
    tickets.get(2).storedButRefused = true;
    assertThat(check().storedButRefused()).isEqualTo(1);
  }

  @Test
  void aCachedStateThatContradictsPostgresqlIsCounted() {
    cached.put("g2", "FAILED");
    assertThat(check().cacheMismatches()).isEqualTo(1);
  }

  @Test
  void twoTerminalResultsOnKafkaAreDecodedTwiceNotADuplicate() {
    results.put("g0", 2);
    Reconciliation r = check();
    assertThat(r.decodedTwice()).isEqualTo(1);
    assertThat(r.duplicated()).isZero();
  }
}
