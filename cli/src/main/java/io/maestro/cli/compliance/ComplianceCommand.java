package io.maestro.cli.compliance;

import io.maestro.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code maestro compliance}: the tenant's compliance bundle, its verification and explanation. */
@Command(
    name = "compliance",
    mixinStandardHelpOptions = true,
    description = {
      "Compliance evidence: a tenant's signed bundle over a time window (who did what, why it was",
      "allowed, what changed), verified and explained offline; the Conductor Compliance Pack."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro compliance bundle --from 2026-10-01T00:00:00Z --to 2027-01-01T00:00:00Z -o q4.tgz",
      "  maestro compliance verify q4.tgz --keys keys.json",
      "  maestro compliance explain --actor ada@acme q4.tgz",
      "  maestro compliance pack -o pack.tgz && maestro compliance verify pack.tgz --keys keys.json"
    },
    subcommands = {
      ComplianceBundleCommand.class,
      CompliancePackCommand.class,
      ComplianceExplainCommand.class,
      ComplianceVerifyCommand.class,
      ComplianceControlsCommand.class
    })
public final class ComplianceCommand extends CommandGroup {}
