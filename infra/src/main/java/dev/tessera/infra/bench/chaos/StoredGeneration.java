package dev.tessera.infra.bench.chaos;

/**
 * A generation as PostgreSQL holds it after the run, with its usage row.
 *
 * @param usageRows how many usage events name it (the ledger promises one per terminal request)
 * @param usageState the state its usage event recorded, or null
 * @param usageBillable whether its usage event is billable, or null
 */
record StoredGeneration(String id, String tenant, String idempotencyKey, String state,
    String errorCode, int usageRows, String usageState, Boolean usageBillable) {

  boolean terminal() {
    return StatusWatcher.terminal(state);
  }
}
