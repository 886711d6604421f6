package dev.tessera.decoding;

import ai.djl.ndarray.NDManager;
import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.StrategyParams;
import dev.tessera.model.Drafter;
import dev.tessera.model.Gpt;
import dev.tessera.model.KvCachePool;
import dev.tessera.model.KvLease;
import dev.tessera.model.Rope2d;
import dev.tessera.sampling.LogitProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Speculative decoding with an EAGLE-style drafter, exact or with LANTERN's relaxation (the job's
 * {@link AcceptanceRule}), for every active sequence in lock-step rounds. Each request drafts either a
 * chain of γ tokens sampled from the drafter, or an EAGLE-2 dynamic tree (algorithms.md §4.1):
 *
 * <ol>
 *   <li>drafter catch-up: feed the (target feature, token) pairs committed last round, in one forward;
 *       its last output gives the distribution after the root (the last committed token);
 *   <li>draft levels, one drafter forward each for all sequences: a chain feeds its last draft and
 *       samples the next from the CFG-combined, processed drafter distribution (an adaptive chain
 *       stops once the drafts' probability under the drafter is below draft_threshold); a dynamic
 *       tree feeds its frontier (each node sees the committed prefix and its own ancestors), every
 *       frontier node proposes its top-k children scored by cumulative log q, and the next frontier
 *       is the best k; a dynamic tree then keeps its best {@code tree_tokens} nodes (rerank); a
 *       static tree (LANTERN++) draws k children without replacement at each depth and expands the
 *       first;
 *   <li>one target forward over every sequence's [root, drafts] with the tree's attention mask
 *       (RoPE row = the committed length plus the node's depth);
 *   <li>acceptance from the root down: a chain draft against the distribution it was drawn from, a
 *       tree node's children tried in turn (a static tree's against the distributions they were
 *       drawn from); the first rejection emits a residual token, a leaf
 *       reached emits a bonus token; the accepted path's KV is compacted behind the root and the
 *       rest dropped.
 * </ol>
 *
 * A sequence that just joined runs its prefill (class token) in the target forward of the round.
 */
public final class SpeculativeDecoder extends PooledDecoder {

  /** Bugs planted on purpose, for tests that must show they catch them; NONE in production. */
  enum Fault {
    NONE,
    /** Verify a chain draft against the drafter's cond-stream distribution, not the CFG one it was drawn from. */
    Q_WITHOUT_CFG,
    /** Draw the bonus token from the distribution at the last draft's parent. */
    BONUS_FROM_PARENT,
    /** Verify a static tree's later siblings against q itself, not q without the earlier ones. */
    STATIC_Q_NOT_RENORMALISED
  }

  /** Softmax of the CFG-combined logits, nothing filtered (greedy verification, greedy tree ranking). */
  private static final SamplingParams UNFILTERED = new SamplingParams(1, 1, 0, 1);

  private final Drafter drafter;
  private final KvCachePool drafterPool;
  private final Function<DecodeJob, AcceptanceRule> rules;
  private final int maxDraft;
  private final Fault fault;

  /**
   * @param rules the acceptance rule of a job (exact, or LANTERN with the job's k, δ and rule)
   * @param maxDraft the largest draft_len (chain length or tree depth) this decoder admits
   */
  public SpeculativeDecoder(Drafter drafter, NDManager parent, int maxImages,
      Function<DecodeJob, AcceptanceRule> rules, int maxDraft) {
    this(drafter, parent, maxImages, rules, maxDraft, Fault.NONE);
  }

  SpeculativeDecoder(Drafter drafter, NDManager parent, int maxImages,
      Function<DecodeJob, AcceptanceRule> rules, int maxDraft, Fault fault) {
    super(drafter.target(), parent, maxImages,
        Math.max(maxDraft, StrategyParams.MAX_TREE_TOKENS) + 1);
    this.drafter = drafter;
    this.rules = rules;
    this.maxDraft = maxDraft;
    this.fault = fault;
    this.drafterPool = new KvCachePool(manager, drafter.cacheConfig(), 2 * maxImages,
        config.sequenceLength() + maxDraft * StrategyParams.MAX_TREE_TOP_K + 1);
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
      ss.depth = ss.count == 0 ? 0 : Math.min(ss.job.strategyParams().draftLen(),
          ss.tokens.length - ss.count - 1);
      ss.draft = DraftTree.chain(List.of());
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

  /** Drafter catch-up on last round's committed pairs, then one forward per draft level. */
  private void draft(List<SpecSequence> seqs) {
    int rows = anyParked()
        ? drafterPool.arrangeFront(active.stream().map(s -> ((SpecSequence) s).drafterLease).toList())
        : drafterPool.used();
    BatchStep.Result out = catchUp(seqs, rows);
    for (SpecSequence s : seqs) {
      int last = s.pendingTokens.size() - 1;
      s.drafterLease.advance(s.pendingTokens.size());
      s.pendingTokens.clear();
      s.drafterForwards++;
      s.drafting = new ArrayList<>();
      s.frontier = new ArrayList<>();
      if (s.depth > 0) {
        propose(s, -1, rowsOf(s, out, last));
      }
    }
    for (int level = 1; level < maxDepth(seqs); level++) {
      int width = 1;
      for (SpecSequence s : seqs) {
        width = Math.max(width, s.frontier.size());
      }
      BatchStep step = new BatchStep(rows, width, 0);
      float[] features = new float[rows * width * config.dim()];
      for (SpecSequence s : seqs) {
        feedFrontier(s, level, step, features, width);
      }
      BatchStep.Result r = step.runDrafter(drafter, drafterPool, manager, features);
      for (SpecSequence s : seqs) {
        if (level >= s.depth) {
          continue;
        }
        s.drafterForwards++;
        List<Integer> fed = s.frontier;
        s.frontier = new ArrayList<>();
        for (int j = 0; j < fed.size(); j++) {
          propose(s, fed.get(j), rowsOf(s, r, j));
        }
        if (s.job.strategyParams().dynamicTree()) {
          keepBestFrontier(s);
        }
      }
    }
    for (SpecSequence s : seqs) {
      s.draft = !s.tree() ? DraftTree.chain(s.drafting)
          : s.job.strategyParams().staticTree() ? DraftTree.spineFirst(s.drafting)
          : DraftTree.rerank(s.drafting, s.job.strategyParams().treeTokens());
    }
  }

  private static int maxDepth(List<SpecSequence> seqs) {
    return seqs.stream().mapToInt(s -> s.depth).max().orElse(0);
  }

  private BatchStep.Result catchUp(List<SpecSequence> seqs, int rows) {
    int width = 1;
    for (SpecSequence s : seqs) {
      width = Math.max(width, s.pendingTokens.size());
    }
    int d = config.dim();
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
    return catchUp.runDrafter(drafter, drafterPool, manager, features);
  }

  /**
   * Feeds a sequence's depth-{@code level} frontier: slot L + (level−1)·k + j, RoPE row of image token
   * L + level − 1, seeing the committed prefix and its ancestors' slots. A sequence done drafting feeds
   * pads at its scratch start (nothing there is needed any more).
   */
  private void feedFrontier(SpecSequence s, int level, BatchStep step, float[] features, int width) {
    int base = s.drafterLease.length();
    if (level >= s.depth) {
      for (int st = 0; st < s.lease.streams(); st++) {
        step.feed(s.drafterLease.row(st), base, new long[0], new long[0], new int[0]);
      }
      return;
    }
    int perLevel = s.job.strategyParams().dynamicTree() ? s.job.strategyParams().treeTopK() : 1;
    int n = s.frontier.size();
    int start = base + (level - 1) * perLevel;
    long[] ids = new long[n];
    long[] rope = new long[n];
    int[] limits = new int[n];
    int[][] also = new int[n][];
    long ropeRow = Rope2d.gridRow(Math.min(base + level - 1, config.imageTokens() - 1));
    for (int j = 0; j < n; j++) {
      DraftTree.Node node = s.drafting.get(s.frontier.get(j));
      node.slot = start + j;
      ids[j] = node.token;
      rope[j] = ropeRow;
      limits[j] = base - 1;
      List<Integer> slots = new ArrayList<>();
      for (int a = s.frontier.get(j); a >= 0; a = s.drafting.get(a).parent) {
        slots.add(s.drafting.get(a).slot);
      }
      also[j] = slots.stream().mapToInt(Integer::intValue).toArray();
    }
    int d = config.dim();
    for (int st = 0; st < s.lease.streams(); st++) {
      int row = s.drafterLease.row(st);
      step.feedTree(row, start, ids, rope, limits, also);
      for (int j = 0; j < n; j++) {
        DraftTree.Node node = s.drafting.get(s.frontier.get(j));
        float[][] parentFeature = node.parent < 0 ? s.rootFeature
            : s.drafting.get(node.parent).feature;
        System.arraycopy(parentFeature[st], 0, features, (row * width + j) * d, d);
      }
    }
  }

  /** The drafter's output for one fed position, per stream: logits and feature. */
  private record Fed(float[][] logits, float[][] feature) {}

  private static Fed rowsOf(SpecSequence s, BatchStep.Result out, int query) {
    int streams = s.lease.streams();
    float[][] logits = new float[streams][];
    float[][] feature = new float[streams][];
    for (int st = 0; st < streams; st++) {
      logits[st] = out.logits(s.drafterLease.row(st), query);
      feature[st] = out.hidden(s.drafterLease.row(st), query);
    }
    return new Fed(logits, feature);
  }

  /**
   * Children of {@code parent} (−1: the root) from the drafter's CFG-combined, processed
   * distribution after it: a chain samples one (greedy: the argmax), a tree takes the top k.
   */
  private void propose(SpecSequence s, int parent, Fed fed) {
    SamplingParams sp = s.job.sampling();
    if (parent < 0) {
      s.rootFeature = fed.feature();
    } else {
      s.drafting.get(parent).feature = fed.feature();
    }
    float[] uncond = fed.logits().length > 1 ? fed.logits()[1] : null;
    double[] q = LogitProcessor.probabilities(LogitProcessor.cfg(fed.logits()[0], uncond,
        sp.cfgScale()), sp);
    int depth = parent < 0 ? 1 : s.drafting.get(parent).depth + 1;
    double parentScore = parent < 0 ? 0 : s.drafting.get(parent).score;
    if (!s.tree()) {
      int x = sp.greedy() ? argmax(q) : s.random.sample(q);
      if (s.job.strategyParams().draftThreshold() > 0) {
        stopWhenUnlikely(s, depth, sp.greedy() ? unfiltered(fed, sp)[x] : q[x]);
      }
      double[] verifyWith = fault == Fault.Q_WITHOUT_CFG && uncond != null
          ? LogitProcessor.probabilities(fed.logits()[0], sp) : q;
      s.frontier.add(s.drafting.size());
      s.drafting.add(new DraftTree.Node(x, parent, depth, 0, verifyWith));
      return;
    }
    double[] rank = sp.greedy() ? unfiltered(fed, sp) : q; // greedy q is one-hot: rank by the softmax
    if (s.job.strategyParams().staticTree()) {
      proposeSampled(s, parent, depth, sp.greedy(), rank);
      return;
    }
    for (int x : topK(rank, s.job.strategyParams().treeTopK())) {
      if (rank[x] <= 0) {
        break;
      }
      s.frontier.add(s.drafting.size());
      s.drafting.add(new DraftTree.Node(x, parent, depth, parentScore + Math.log(rank[x]), null));
    }
  }

  /** The drafter's softmax after CFG, nothing filtered. */
  private static double[] unfiltered(Fed fed, SamplingParams sp) {
    return LogitProcessor.probabilities(LogitProcessor.cfg(fed.logits()[0],
        fed.logits().length > 1 ? fed.logits()[1] : null, sp.cfgScale()), UNFILTERED);
  }

  /**
   * An adaptive chain: once the drafter's probability of the drafts so far falls below the job's
   * draft_threshold, this draft is the last of the step. Only the drafter's numbers decide, so the
   * acceptance rule's guarantee does not change.
   */
  private static void stopWhenUnlikely(SpecSequence s, int depth, double q) {
    s.confidence = (depth == 1 ? 1 : s.confidence) * q;
    if (s.confidence < s.job.strategyParams().draftThreshold()) {
      s.depth = depth;
    }
  }

  /**
   * LANTERN++'s static tree: tree_top_k children of {@code parent} drawn from q without replacement
   * (child j from q with the earlier children removed and renormalised, kept with the node for its
   * verification; greedy: the top k), while the tree has room; the first child is expanded next.
   */
  private void proposeSampled(SpecSequence s, int parent, int depth, boolean greedy, double[] q) {
    double[] remaining = q.clone();
    int k = s.job.strategyParams().treeTopK();
    int room = s.job.strategyParams().treeTokens() - s.drafting.size();
    for (int j = 0; j < Math.min(k, room); j++) {
      double[] qj = BoundedLanternRule.normalisedCopy(remaining);
      if (qj == null) {
        break;
      }
      int x = greedy ? argmax(remaining) : s.random.sample(qj);
      DraftTree.Node node = new DraftTree.Node(x, parent, depth, 0,
          fault == Fault.STATIC_Q_NOT_RENORMALISED ? q : qj);
      if (j == 0) {
        s.frontier.add(s.drafting.size());
        node.spine = true;
      }
      s.drafting.add(node);
      remaining[x] = 0;
    }
    if (s.drafting.size() >= s.job.strategyParams().treeTokens()) {
      s.depth = depth; // the tree is full: no deeper level
    }
  }

  /** EAGLE-2: the next frontier is the best k of the k² new candidates by cumulative score. */
  private static void keepBestFrontier(SpecSequence s) {
    int k = s.job.strategyParams().treeTopK();
    List<Integer> f = new ArrayList<>(s.frontier);
    f.sort((a, b) -> {
      int c = Double.compare(s.drafting.get(b).score, s.drafting.get(a).score);
      return c != 0 ? c : Integer.compare(a, b);
    });
    s.frontier = new ArrayList<>(f.subList(0, Math.min(k, f.size())));
    s.frontier.sort(null);
  }

  /** One target forward over every sequence's [root, drafts] (or class token), then acceptance. */
  private void verify() {
    int width = 1;
    for (Sequence s : active) {
      width = Math.max(width, 1 + ((SpecSequence) s).draft.size());
    }
    BatchStep batch = new BatchStep(steppingRows(), width, Gpt.classId(config, config.nullClass()));
    for (Sequence seq : active) {
      SpecSequence s = (SpecSequence) seq;
      int pos = s.lease.length();
      DraftTree t = s.draft;
      int n = 1 + t.size();
      long[] rope = new long[n];
      int[] limits = new int[n];
      int[][] also = new int[n][];
      rope[0] = pos; // raster: position p carries image token p-1, RoPE row p
      limits[0] = pos;
      for (int i = 0; i < t.size(); i++) {
        rope[1 + i] = pos + t.nodes.get(i).depth;
        limits[1 + i] = pos; // the committed prefix and the root
        int[] path = t.path(i);
        also[1 + i] = new int[path.length];
        for (int j = 0; j < path.length; j++) {
          also[1 + i][j] = pos + 1 + path[j];
        }
      }
      for (int st = 0; st < s.lease.streams(); st++) {
        long[] ids = new long[n];
        ids[0] = s.count == 0 ? Gpt.classId(config, s.label(st, config.nullClass()))
            : s.tokens[s.count - 1];
        for (int i = 0; i < t.size(); i++) {
          ids[1 + i] = t.nodes.get(i).token;
        }
        batch.feedTree(s.lease.row(st), pos, ids, rope, limits, also);
      }
    }
    BatchStep.Result out = batch.run(gpt, pool, manager, true);
    for (Sequence seq : active) {
      accept((SpecSequence) seq, out);
    }
  }

  /** Target logits (CFG-combined) at query i of a sequence. */
  private static float[] targetLogits(SpecSequence s, BatchStep.Result out, int query) {
    float[] cond = out.logits(s.lease.row(0), query);
    float[] uncond = s.lease.streams() > 1 ? out.logits(s.lease.row(1), query) : null;
    return LogitProcessor.cfg(cond, uncond, s.job.sampling().cfgScale());
  }

  private void accept(SpecSequence s, BatchStep.Result out) {
    SamplingParams sp = s.job.sampling();
    DraftTree t = s.draft;
    int pos = s.lease.length();
    List<Integer> path = new ArrayList<>();
    int node = -1;
    int next;
    while (true) {
      float[] logits = targetLogits(s, out, node + 1);
      int[] kids = t.children(node);
      if (kids.length == 0) { // a leaf (or nothing drafted): the bonus token
        float[] bonus = fault == Fault.BONUS_FROM_PARENT && node >= 0
            ? targetLogits(s, out, t.nodes.get(node).parent + 1) : logits;
        next = sp.greedy() ? LogitProcessor.argmax(bonus)
            : s.random.sample(LogitProcessor.probabilities(bonus, sp));
        break;
      }
      int chosen = -1;
      if (sp.greedy()) {
        double[] p = LogitProcessor.probabilities(logits, UNFILTERED);
        for (int j = 0; j < kids.length && chosen < 0; j++) {
          if (s.rule.greedyAccepts(p, t.nodes.get(kids[j]).token)) {
            chosen = j;
          }
        }
        next = LogitProcessor.argmax(logits);
      } else if (!s.tree()) {
        DraftTree.Node d = t.nodes.get(kids[0]);
        AcceptanceRule.Verdict v = s.rule.verify(LogitProcessor.probabilities(logits, sp), d.q,
            d.token, s.random);
        chosen = v.accepted() ? 0 : -1;
        next = v.token();
      } else {
        int[] candidates = new int[kids.length];
        double[][] qs = new double[kids.length][]; // a static tree's: what each was drawn from
        for (int j = 0; j < kids.length; j++) {
          candidates[j] = t.nodes.get(kids[j]).token;
          qs[j] = t.nodes.get(kids[j]).q;
        }
        double[] p = LogitProcessor.probabilities(logits, sp);
        AcceptanceRule.Choice c = s.job.strategyParams().staticTree()
            ? s.rule.verifySampled(p, candidates, qs, s.random)
            : s.rule.verifyCandidates(p, candidates, s.random);
        chosen = c.accepted();
        next = c.token();
      }
      if (chosen < 0) {
        break;
      }
      node = kids[chosen];
      path.add(node);
    }
    commit(s, out, pos, path, next);
  }

  /** Appends the accepted path and the next token; compacts the path's KV behind the root. */
  private void commit(SpecSequence s, BatchStep.Result out, int pos, List<Integer> path, int next) {
    int accepted = path.size();
    int committedBefore = s.count;
    for (int node : path) {
      s.tokens[s.count++] = s.draft.nodes.get(node).token;
    }
    s.tokens[s.count++] = next;
    int fed = 1 + accepted; // root (or class token) and the accepted drafts stay in the cache
    int[] from = new int[accepted];
    int[] to = new int[accepted];
    boolean moved = false;
    for (int j = 0; j < accepted; j++) {
      from[j] = pos + 1 + path.get(j);
      to[j] = pos + 1 + j;
      moved |= from[j] != to[j];
    }
    s.lease.advance(1 + s.draft.size());
    s.lease.truncate(pos + fed);
    if (moved) {
      int[] rows = new int[s.lease.streams()];
      for (int st = 0; st < rows.length; st++) {
        rows[st] = s.lease.row(st);
      }
      pool.copyPositions(rows, from, to);
    }
    s.drafterLease.truncate(Math.min(s.drafterLease.length(), pos));
    for (int st = 0; st < s.lease.streams(); st++) {
      s.pendingFeatures[st].clear();
      s.pendingFeatures[st].add(out.hidden(s.lease.row(st), 0));
      for (int node : path) {
        s.pendingFeatures[st].add(out.hidden(s.lease.row(st), 1 + node));
      }
    }
    for (int i = 0; i < fed; i++) {
      s.pendingTokens.add(s.tokens[committedBefore + i]);
    }
    s.steps++;
    s.targetForwards++;
    if (committedBefore > 0) {
      s.drafted += s.draft.size();
      s.accepted += accepted;
      s.recordAccepted(accepted);
    }
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

  /** Indices of the k largest entries, largest first (ties: the smaller index); O(V·k). */
  static int[] topK(double[] q, int k) {
    int n = Math.min(k, q.length);
    int[] top = new int[n];
    int filled = 0;
    for (int i = 0; i < q.length; i++) {
      if (filled == n && q[i] <= q[top[n - 1]]) {
        continue;
      }
      int j = filled < n ? filled++ : n - 1;
      while (j > 0 && q[top[j - 1]] < q[i]) {
        top[j] = top[j - 1];
        j--;
      }
      top[j] = i;
    }
    return top;
  }

  /** A sequence with its drafter rows and the pairs the drafter has not seen yet. */
  private static final class SpecSequence extends Sequence {
    final KvLease drafterLease;
    final AcceptanceRule rule;
    final List<Integer> pendingTokens = new ArrayList<>();
    final List<float[]>[] pendingFeatures;
    int depth;
    double confidence;
    List<DraftTree.Node> drafting = new ArrayList<>();
    List<Integer> frontier = new ArrayList<>();
    float[][] rootFeature;
    DraftTree draft;

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
    }

    boolean tree() {
      return job.strategyParams().tree();
    }
  }
}
