package io.maestro.cli.receipts;

import static io.maestro.cli.client.Paths.enc;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.CliFiles;
import io.maestro.cli.CommandGroup;
import io.maestro.cli.UserError;
import io.maestro.cli.client.ApiOptions;
import io.maestro.cli.client.Output;
import io.maestro.cli.client.Output.Column;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code maestro receipts …}: read and export the tenant's tamper-evident receipt log. */
@Command(
    name = "receipts",
    mixinStandardHelpOptions = true,
    description = "List, show and export receipts (verify exports offline with maestro verify).",
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro receipts list --type run.started",
      "  maestro receipts show rcp_0193… --proof",
      "  maestro receipts export -o acme.ndjson && maestro keys export -o keys.json",
      "  maestro verify acme.ndjson --keys keys.json"
    },
    subcommands = {
      ReceiptsCommand.ListReceipts.class,
      ReceiptsCommand.Show.class,
      ReceiptsCommand.Export.class
    })
public final class ReceiptsCommand extends CommandGroup {
  /** The tenant whose log a platform actor reads; tenant users always read their own. */
  static final class TenantOption {
    @Option(
        names = "--tenant",
        paramLabel = "TENANT",
        description = "Platform roles: the tenant whose log to read.")
    String tenant;

    String query(char sep) {
      return tenant == null ? "" : sep + "tenant=" + enc(tenant);
    }
  }

  /** {@code maestro receipts list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List receipts, oldest first.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  maestro receipts list",
        "  maestro receipts list --type policy.denied --since 2026-12-01T00:00:00Z --output json"
      })
  static final class ListReceipts implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;
    @Mixin Output output;
    @Mixin TenantOption tenant;

    @Option(
        names = "--type",
        paramLabel = "TYPE",
        description = "Only this type, e.g. run.started.")
    String type;

    @Option(
        names = "--since",
        paramLabel = "TIME",
        description = "Only receipts at or after TIME (ISO 8601).")
    String since;

    @Option(
        names = "--after",
        paramLabel = "SEQ",
        description = "Only receipts after this seq (paging).")
    Long after;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "100",
        description = "At most N receipts (1-500, default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
      StringBuilder path = new StringBuilder("/api/receipts?limit=").append(limit);
      if (type != null) {
        path.append("&type=").append(enc(type));
      }
      if (since != null) {
        path.append("&since=").append(enc(since));
      }
      if (after != null) {
        path.append("&after=").append(after);
      }
      path.append(tenant.query('&'));
      JsonNode page = api.connect().call("GET", path.toString(), null, "cannot list receipts");
      PrintWriter out = spec.commandLine().getOut();
      if (output.format() != Output.Format.table) {
        output.data(out, page);
        return 0;
      }
      output.list(
          out,
          page.path("receipts"),
          List.of(
              Column.of("seq", "seq"),
              Column.of("id", "id"),
              Column.of("type", "type"),
              Column.of("time", "time"),
              new Column("actor", r -> Output.text(r.path("actor").path("sub")))));
      if (page.hasNonNull("next_after")) {
        out.println("more: --after " + page.get("next_after").asText());
      }
      return 0;
    }
  }

  /** {@code maestro receipts show ID [--proof]}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show a receipt; with --proof, also its inclusion proof and signed checkpoint.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro receipts show rcp_0193…", "  maestro receipts show rcp_0193… --proof"})
  static final class Show implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;
    @Mixin Output output;
    @Mixin TenantOption tenant;

    @Parameters(paramLabel = "ID", description = "The receipt id.")
    String id;

    @Option(names = "--proof", description = "Also print the inclusion proof and checkpoint.")
    boolean proof;

    @Override
    public Integer call() {
      JsonNode r =
          api.connect()
              .call(
                  "GET",
                  "/api/receipts/" + enc(id) + tenant.query('?'),
                  null,
                  "cannot read receipt " + id);
      JsonNode shown = proof ? r : r.path("receipt");
      output.one(
          spec.commandLine().getOut(),
          shown,
          out -> {
            output.data(out, r.path("receipt"));
            out.println("digest " + r.path("digest").asText());
            if (proof) {
              if (r.path("proof").isNull() || r.path("proof").isMissingNode()) {
                out.println("proof: none yet (no checkpoint covers this receipt)");
              } else {
                out.println("proof:");
                output.data(out, r.path("proof"));
                out.println("checkpoint:");
                out.print(r.path("checkpoint").asText());
              }
            }
          });
      return 0;
    }
  }

  /** {@code maestro receipts export [-o FILE]}. */
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description =
          "Export receipts with their checkpoints and proofs as NDJSON, to verify offline.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  maestro receipts export -o acme.ndjson",
        "  maestro receipts export --from 100 --to 200 > part.ndjson"
      })
  static final class Export implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;
    @Mixin TenantOption tenant;

    @Option(
        names = {"-o", "--out"},
        paramLabel = "FILE",
        description = "Write to FILE (default: standard output).")
    Path file;

    @Option(
        names = "--from",
        paramLabel = "SEQ",
        defaultValue = "1",
        description = "First seq (default: ${DEFAULT-VALUE}).")
    long from;

    @Option(
        names = "--to",
        paramLabel = "SEQ",
        defaultValue = "0",
        description = "Last seq (default: up to the latest checkpoint).")
    long to;

    @Override
    public Integer call() {
      String path = "/api/receipts/export?from=" + from + "&to=" + to + tenant.query('&');
      Downloads.to(
          file, spec, sink -> api.connect().download(path, sink, "cannot export receipts"));
      return 0;
    }
  }

  /** Writes a download to a file (atomically) or to standard output. */
  public static final class Downloads {
    private Downloads() {}

    public static void to(
        Path file,
        CommandLine.Model.CommandSpec spec,
        java.util.function.Consumer<OutputStream> body) {
      if (file == null) {
        PrintWriter out = spec.commandLine().getOut();
        out.flush();
        OutputStream stdout = new java.io.FileOutputStream(java.io.FileDescriptor.out);
        body.accept(stdout);
        try {
          stdout.flush();
        } catch (IOException e) {
          throw new UserError("cannot write to standard output: " + e.getMessage());
        }
        return;
      }
      Path tmp = null;
      try {
        Path dir = file.toAbsolutePath().getParent();
        tmp = Files.createTempFile(dir, ".maestro-download", ".tmp");
        try (OutputStream sink = Files.newOutputStream(tmp)) {
          body.accept(sink);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        spec.commandLine().getErr().println("wrote " + file);
      } catch (IOException e) {
        throw new UserError("cannot write " + file + ": " + CliFiles.reason(e));
      } finally {
        if (tmp != null) {
          try {
            Files.deleteIfExists(tmp);
          } catch (IOException ignored) {
            // best effort: a stray temporary file is harmless
          }
        }
      }
    }
  }
}
