package dev.tessera.worker.cli;

import dev.tessera.contract.Strategy;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --strategy ar|speculative|lantern|par} by API name. */
final class StrategyConverter implements ITypeConverter<Strategy> {

  @Override
  public Strategy convert(String value) {
    try {
      return Strategy.fromApiName(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
