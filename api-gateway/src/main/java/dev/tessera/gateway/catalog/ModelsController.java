package dev.tessera.gateway.catalog;

import dev.tessera.contract.ModelDescriptor;
import dev.tessera.decoding.Strategy;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/models}: what can be asked for. */
@RestController
class ModelsController {

  /** One served model. */
  record ModelView(String name, Grid grid, int numClasses, int vocabSize, List<String> strategies,
      int lanternMaxK) {

    static ModelView of(ModelDescriptor m) {
      return new ModelView(m.name(), new Grid(m.gridSide(), m.gridSide(), m.tokensPerImage()),
          m.numClasses(), m.vocabSize(), m.strategies().stream().map(Strategy::apiName).toList(),
          m.lanternMaxK());
    }
  }

  /** The token grid of one image. */
  record Grid(int rows, int cols, int tokens) {}

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
