package dev.tessera.gateway.catalog;

import dev.tessera.contract.ModelDescriptor;
import dev.tessera.contract.Strategy;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/models}: what can be asked for. */
@RestController
class ModelsController {

  /** One served model. */
  record ModelView(String name, String family, Grid grid, Image image, int numClasses,
      List<String> classNames, int vocabSize, List<String> strategies, int lanternMaxK) {

    static ModelView of(ModelDescriptor m) {
      return new ModelView(m.name(), m.family(),
          new Grid(m.gridSide(), m.gridSide(), m.tokensPerImage()),
          new Image(m.imageSize(), m.imageSize(), m.channels()), m.numClasses(), m.classNames(),
          m.vocabSize(), m.strategies().stream().map(Strategy::apiName).toList(), m.lanternMaxK());
    }
  }

  /** The token grid of one image. */
  record Grid(int rows, int cols, int tokens) {}

  /** The PNG a generation returns: its size and colour channels (1 grey, 3 RGB). */
  record Image(int width, int height, int channels) {}

  record ModelList(List<ModelView> data) {}

  private final ModelCatalog catalog;

  ModelsController(ModelCatalog catalog) {
    this.catalog = catalog;
  }

  @GetMapping("/v1/models")
  ModelList list() {
    return new ModelList(catalog.all().stream().map(ModelView::of).toList());
  }
}
