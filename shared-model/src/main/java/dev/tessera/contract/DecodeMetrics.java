package dev.tessera.contract;

/**
 * What decoding one image cost.
 *
 * @param steps decode iterations this request took part in
 * @param targetForwards target-model forwards that included this request
 * @param drafterForwards drafter forwards that included this request
 * @param draftedTokens tokens proposed by the drafter
 * @param acceptedTokens drafted tokens the target accepted
 * @param meanAcceptedLength tokens committed per target forward (1.0 for plain AR)
 * @param acceptedPerPosition histogram: index i counts verify steps that accepted exactly i drafts
 * @param decodeMillis wall time from admission to the last token
 */
public record DecodeMetrics(
    int steps,
    int targetForwards,
    int drafterForwards,
    int draftedTokens,
    int acceptedTokens,
    double meanAcceptedLength,
    int[] acceptedPerPosition,
    long decodeMillis) {

  public DecodeMetrics {
    acceptedPerPosition = acceptedPerPosition == null ? new int[0] : acceptedPerPosition.clone();
  }
}
