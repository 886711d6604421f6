package dev.tessera.decoding;

import ai.djl.ndarray.NDManager;
import dev.tessera.model.Drafter;
import dev.tessera.model.Gpt;
import dev.tessera.model.KvCachePool;
import dev.tessera.model.KvLease;
import dev.tessera.model.Rope2d;
import dev.tessera.sampling.LogitProcessor;
import dev.tessera.sampling.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Speculative decoding with an EAGLE-style drafter, exact ({@link AcceptanceRule#EXACT}) or with
 * LANTERN's relaxation ({@link LanternRule}), for every active sequence in lock-step rounds:
 *
 * <ol>
 *   <li>drafter catch-up: feed the (target feature, token) pairs committed last round, in one forward;
 *       its last output gives the first draft's distribution q_1;
 *   <li>γ−1 more drafter forwards, one draft each, both CFG streams, sampled from the CFG-combined,
 *       processed drafter distribution with the request's own random stream;
 *   <li>one target forward over [root, d_1..d_γ] (verification);
 *   <li>accept or reject left to right; the first rejection draws from the residual, full acceptance
 *       draws a bonus token; target and drafter caches are truncated to what was committed.
 * </ol>
 *
 * A sequence that just joined runs its prefill (class token) in the target forward of the round.
 * Requests set γ (draft_len) per request; rows with fewer drafts are padded.
 */
public final class SpeculativeDecoder extends PooledDecoder {

  private final Drafter drafter;
  private final KvCachePool drafterPool;
  private final Function<DecodeJob, AcceptanceRule> rules;
  private final int maxDraft;

  /**
   * @param rules the acceptance rule of a job (exact, or LANTERN with the job's k and δ)
   * @param maxDraft the largest draft_len this decoder admits
   */
  public SpeculativeDecoder(Drafter drafter, NDManager parent, int maxImages,
      Function<DecodeJob, AcceptanceRule> rules, int maxDraft) {
    super(drafter.target(), parent, maxImages, maxDraft + 1);
    this.drafter = drafter;
    this.rules = rules;
    this.maxDraft = maxDraft;
    this.drafterPool = new KvCachePool(manager, drafter.cacheConfig(), 2 * maxImages,
        config.sequenceLength() + maxDraft + 1);
  }

  @Override
  public boolean canAdmit(DecodeJob job) {
    return super.canAdmit(job) && drafterPool.free() >= streams(job);
  }

  /**
   * Checks the job and builds its acceptance rule before leasing anything (a LANTERN rule refuses a
   * lantern_k wider than the neighbour table), then leases target and drafter rows; a failure on
   * the way gives back what was already leased.
   */
  @Override
  Sequence newSequence(DecodeJob job) {
    if (job.strategyParams().draftLen() > maxDraft) {
      throw new IllegalArgumentException("draft_len " + job.strategyParams().draftLen()
          + " exceeds this decoder's maximum " + maxDraft);
    }
    AcceptanceRule rule = rules.apply(job);
    KvLease target = pool.lease(streams(job));
    KvLease drafterRows = null;
    try {
      drafterRows = drafterPool.lease(streams(job));
      return new SpecSequence(job, target, drafterRows, config.imageTokens(), config.dim(), rule);
    } catch (RuntimeException | Error e) {
      pool.release(target);
      if (drafterRows != null) {
        drafterPool.release(drafterRows);
      }
      throw e;
    }
  }

  @Override
  void release(Sequence s) {
    super.release(s);
    drafterPool.release(((SpecSequence) s).drafterLease);
  }

  @Override
  public List<DecodeOutput> step() {
    if (active.isEmpty()) {
      return List.of();
    }
    List<SpecSequence> speculating = new ArrayList<>();
    for (Sequence s : active) {
      SpecSequence ss = (SpecSequence) s;
      ss.drafts = ss.count == 0 ? 0 : Math.min(ss.job.strategyParams().draftLen(),
          ss.tokens.length - ss.count - 1);
      ss.draftTokens = new int[ss.drafts];
      ss.draftDists = new double[ss.drafts][];
      if (ss.count > 0) {
        speculating.add(ss);
      }
    }
    if (!speculating.isEmpty()) {
      draft(speculating);
    }
    verify();
    return collectFinished();
  }

  /** Drafter catch-up on last round's committed pairs, then the remaining drafts one by one. */
  private void draft(List<SpecSequence> seqs) {
    int width = 1;
    for (SpecSequence s : seqs) {
      width = Math.max(width, s.pendingTokens.size());
    }
    int d = config.dim();
    int rows = anyParked()
        ? drafterPool.arrangeFront(active.stream().map(s -> ((SpecSequence) s).drafterLease).toList())
        : drafterPool.used();
    BatchStep catchUp = new BatchStep(rows, width, 0);
    float[] features = new float[rows * width * d];
    for (SpecSequence s : seqs) {
      int start = s.drafterLease.length();
      int n = s.pendingTokens.size();
      long[] ids = new long[n];
      long[] rope = new long[n];
      int[] limits = new int[n];
      for (int i = 0; i < n; i++) {
        ids[i] = s.pendingTokens.get(i);
        rope[i] = Rope2d.gridRow(start + i); // drafter row p carries image token p
        limits[i] = start + i;
      }
      for (int st = 0; st < s.lease.streams(); st++) {
        int row = s.drafterLease.row(st);
        catchUp.feed(row, start, ids, rope, limits);
        for (int i = 0; i < n; i++) {
          System.arraycopy(s.pendingFeatures[st].get(i), 0, features, (row * width + i) * d, d);
        }
      }
    }
    BatchStep.Result out = catchUp.runDrafter(drafter, drafterPool, manager, features);
    for (SpecSequence s : seqs) {
      int last = s.pendingTokens.size() - 1;
      s.drafterLease.advance(s.pendingTokens.size());
      s.pendingTokens.clear();
      s.drafterForwards++;
      if (s.drafts > 0) {
        takeDraft(s, 0, out, last);
      }
    }
    int maxDrafts = seqs.stream().mapToInt(s -> s.drafts).max().orElse(0);
    for (int i = 1; i < maxDrafts; i++) {
      BatchStep next = new BatchStep(rows, 1, 0);
      float[] f = new float[rows * d];
      for (SpecSequence s : seqs) {
        int pos = s.drafterLease.length() + i - 1;
        for (int st = 0; st < s.lease.streams(); st++) {
          int row = s.drafterLease.row(st);
          int token = i - 1 < s.drafts ? s.draftTokens[i - 1] : 0;
          next.feedOne(row, pos, token, Rope2d.gridRow(Math.min(pos, config.imageTokens() - 1)));
          System.arraycopy(s.draftFeature[st], 0, f, row * d, d);
        }
      }
      BatchStep.Result r = next.runDrafter(drafter, drafterPool, manager, f);
      for (SpecSequence s : seqs) {
        if (i < s.drafts) {
          s.drafterForwards++;
          takeDraft(s, i, r, 0);
        }
      }
    }
  }

  /** Samples draft i from the drafter's CFG-combined processed distribution at (row, query). */
  private void takeDraft(SpecSequence s, int i, BatchStep.Result out, int query) {
    SamplingParams sp = s.job.sampling();
    float[] cond = out.logits(s.drafterLease.row(0), query);
    float[] uncond = s.lease.streams() > 1 ? out.logits(s.drafterLease.row(1), query) : null;
    double[] q = LogitProcessor.probabilities(LogitProcessor.cfg(cond, uncond, sp.cfgScale()), sp);
    s.draftDists[i] = q;
    s.draftTokens[i] = sp.greedy() ? argmax(q) : s.random.sample(q);
    for (int st = 0; st < s.lease.streams(); st++) {
      s.draftFeature[st] = out.hidden(s.drafterLease.row(st), query);
    }
  }

  /** One target forward over every sequence's [root, drafts] (or class token), then acceptance. */
  private void verify() {
    int width = 1;
    for (Sequence s : active) {
      width = Math.max(width, 1 + ((SpecSequence) s).drafts);
    }
    BatchStep batch = new BatchStep(steppingRows(), width, Gpt.classId(config, config.nullClass()));
    for (Sequence seq : active) {
      SpecSequence s = (SpecSequence) seq;
      int pos = s.lease.length();
      int n = 1 + s.drafts;
      long[] rope = new long[n];
      int[] limits = new int[n];
      for (int i = 0; i < n; i++) {
        rope[i] = pos + i; // raster: position p carries image token p-1, RoPE row p
        limits[i] = pos + i;
      }
      for (int st = 0; st < s.lease.streams(); st++) {
        long[] ids = new long[n];
        ids[0] = s.count == 0 ? Gpt.classId(config, s.label(st, config.nullClass()))
            : s.tokens[s.count - 1];
        for (int i = 0; i < s.drafts; i++) {
          ids[1 + i] = s.draftTokens[i];
        }
        batch.feed(s.lease.row(st), pos, ids, rope, limits);
      }
    }
    BatchStep.Result out = batch.run(gpt, pool, manager, true);
    for (Sequence seq : active) {
      accept((SpecSequence) seq, out);
    }
  }

  private void accept(SpecSequence s, BatchStep.Result out) {
    SamplingParams sp = s.job.sampling();
    int pos = s.lease.length();
    int accepted = 0;
    int next = -1;
    for (int i = 0; i <= s.drafts && next < 0; i++) {
      float[] cond = out.logits(s.lease.row(0), i);
      float[] uncond = s.lease.streams() > 1 ? out.logits(s.lease.row(1), i) : null;
      float[] logits = LogitProcessor.cfg(cond, uncond, sp.cfgScale());
      if (i == s.drafts) { // every draft accepted (or none drafted): the bonus token
        next = sp.greedy() ? LogitProcessor.argmax(logits)
            : s.random.sample(LogitProcessor.probabilities(logits, sp));
        break;
      }
      int x = s.draftTokens[i];
      boolean ok;
      if (sp.greedy()) {
        ok = greedyAccepts(s.rule, logits, x);
        if (!ok) {
          next = LogitProcessor.argmax(logits);
        }
      } else {
        double[] p = LogitProcessor.probabilities(logits, sp);
        Verifier.Verdict v = Verifier.verify(s.rule.relax(p, x), s.draftDists[i], x, s.random);
        ok = v.accepted();
        if (!ok) {
          next = v.token();
        }
      }
      if (ok) {
        accepted++;
      }
    }
    // commit the accepted drafts and the next token; keep the features for the drafter's catch-up
    int committedBefore = s.count;
    for (int i = 0; i < accepted; i++) {
      s.tokens[s.count++] = s.draftTokens[i];
    }
    s.tokens[s.count++] = next;
    int fed = 1 + accepted; // root (or class token) and the accepted drafts stay in the cache
    s.lease.advance(1 + s.drafts);
    s.lease.truncate(pos + fed);
    s.drafterLease.truncate(Math.min(s.drafterLease.length(), pos));
    for (int st = 0; st < s.lease.streams(); st++) {
      s.pendingFeatures[st].clear();
      for (int i = 0; i < fed; i++) {
        s.pendingFeatures[st].add(out.hidden(s.lease.row(st), i));
      }
    }
    for (int i = 0; i < fed; i++) {
      s.pendingTokens.add(s.tokens[committedBefore + i]);
    }
    s.steps++;
    s.targetForwards++;
    if (committedBefore > 0) {
      s.drafted += s.drafts;
      s.accepted += accepted;
      s.recordAccepted(accepted);
    }
  }

  /** LANTERN greedy mode (§2.4): relax x's probability under softmax(CFG logits), test argmax. */
  private static boolean greedyAccepts(AcceptanceRule rule, float[] logits, int x) {
    double[] p = LogitProcessor.probabilities(logits, new SamplingParams(1, 1, 0, 1));
    double[] relaxed = rule.relax(p, x);
    double boosted = relaxed[x];
    for (int i = 0; i < p.length; i++) {
      if (i != x && p[i] > boosted) {
        return false;
      }
    }
    return true;
  }

  private static int argmax(double[] q) {
    int best = 0;
    for (int i = 1; i < q.length; i++) {
      if (q[i] > q[best]) {
        best = i;
      }
    }
    return best;
  }

  /** A sequence with its drafter rows and the pairs the drafter has not seen yet. */
  private static final class SpecSequence extends Sequence {
    final KvLease drafterLease;
    final AcceptanceRule rule;
    final List<Integer> pendingTokens = new ArrayList<>();
    final List<float[]>[] pendingFeatures;
    final float[][] draftFeature;
    int drafts;
    int[] draftTokens;
    double[][] draftDists;

    @SuppressWarnings("unchecked")
    SpecSequence(DecodeJob job, KvLease lease, KvLease drafterLease, int n, int dim,
        AcceptanceRule rule) {
      super(job, lease, n);
      this.drafterLease = drafterLease;
      this.rule = rule;
      this.pendingFeatures = new List[lease.streams()];
      for (int st = 0; st < lease.streams(); st++) {
        pendingFeatures[st] = new ArrayList<>();
      }
      this.draftFeature = new float[lease.streams()][dim];
    }
  }
}
