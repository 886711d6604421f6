package dev.tessera.infra.bench.chaos;

/**
 * One fault as it happened.
 *
 * @param kind {@link FaultKind#label()}
 * @param target the process hit ({@code worker-2}) or the server taken away
 * @param atS when it began, seconds after the load started
 * @param lastedS how long the server was away or the process frozen (0 for a kill)
 * @param recoveryS seconds from the repair (server started, process thawed or restarted) until a new
 *     high-priority request was accepted and SUCCEEDED and a restarted process was ready; null if
 *     that did not happen within the probe's limit
 */
record FaultRecord(String kind, String target, double atS, double lastedS, Double recoveryS) {}
