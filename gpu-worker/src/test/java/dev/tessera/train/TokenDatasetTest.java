package dev.tessera.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.data.FashionMnistSample;
import dev.tessera.data.LabelledImages;
import dev.tessera.data.Split;
import dev.tessera.tokenizer.VqConfig;
import dev.tessera.tokenizer.VqTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenDatasetTest {

  @Test
  void savedDatasetLoadsBackWithTokensLabelsAndCodebookFingerprint(@TempDir Path tmp) throws IOException {
    LabelledImages sample = FashionMnistSample.load(Split.TEST).head(50);
    VqTokenizer tok = VqTokenizer.fit(sample.images(), new VqConfig(300, 1, 5_000, 5), line -> { });
    TokenDataset ds = TokenDataset.encode(sample, tok);
    Path f = tmp.resolve("d.safetensors");
    ds.save(f);
    TokenDataset back = TokenDataset.load(f);
    assertThat(back.size()).as("rows").isEqualTo(50);
    assertThat(back.tokens()).as("tokens").isDeepEqualTo(ds.tokens());
    assertThat(back.labels()).as("labels").containsExactly(sample.labels());
    assertThat(back.vocabSize()).as("vocab").isEqualTo(300);
    assertThat(back.codebookCrc32()).as("fingerprint").isEqualTo(TokenDataset.fingerprint(tok));
    int[] first = tok.encode(sample.images()[0]);
    for (int j = 0; j < 256; j++) {
      assertThat((int) back.tokens()[0][j]).as("token %d of image 0", j).isEqualTo(first[j]);
    }
  }
}
