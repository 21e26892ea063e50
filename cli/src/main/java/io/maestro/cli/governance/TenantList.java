package io.maestro.cli.governance;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.client.ListCommand;
import io.maestro.cli.client.Output.Column;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * A command that lists a tenant's resources ({@code GET <collection>}, with {@code --tenant} for
 * platform roles) as a table, JSON or YAML.
 */
public abstract class TenantList extends ListCommand {
  @Option(names = "--tenant", paramLabel = "ID", description = "Tenant (platform roles).")
  String tenant;

  private final String collection;
  private final String failure;

  /**
   * @param failure what an error message starts with, e.g. {@code "cannot list the schedules"}
   */
  protected TenantList(String collection, String failure, List<Column> columns) {
    super(columns);
    this.collection = collection;
    this.failure = failure;
  }

  /** The collection with the command's own filters as query parameters, if it has any. */
  protected String path(String collection) {
    return collection;
  }

  @Override
  protected JsonNode fetch() {
    return api.connect().call("GET", Tenants.query(path(collection), tenant), null, failure);
  }
}
