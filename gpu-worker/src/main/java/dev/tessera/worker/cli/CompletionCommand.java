package dev.tessera.worker.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ./tessera completion}: a bash (and zsh) completion script for every command. */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = {"Print a bash completion script: source <(./tessera completion)",
        "Prints a bash completion script for ./tessera and all its commands.",
        "Use: source <(./tessera completion)   (zsh: autoload -U bashcompinit; bashcompinit first)"})
final class CompletionCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    String script = AutoComplete.bash("tessera", spec.root().commandLine());
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().println("complete -F _complete_tessera -o default ./tessera");
    spec.commandLine().getOut().flush();
    return 0;
  }
}
