package io.maestro.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.client.Output.Column;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * A command that prints one list the API answers with ({@code items}) as a table, or as JSON or
 * YAML with {@code --output}. A subclass says only what it asks for ({@link #fetch}) and which
 * columns the table has.
 */
public abstract class ListCommand implements Callable<Integer> {
  @Spec protected CommandLine.Model.CommandSpec spec;
  @Mixin protected ApiOptions api;
  @Mixin protected Output output;

  private final List<Column> columns;

  protected ListCommand(List<Column> columns) {
    this.columns = List.copyOf(columns);
  }

  /** The server's answer, whose {@code items} are the list. */
  protected abstract JsonNode fetch();

  @Override
  public Integer call() {
    output.list(spec.commandLine().getOut(), fetch().path("items"), columns);
    return 0;
  }
}
