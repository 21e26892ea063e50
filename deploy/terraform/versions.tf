# Tenant partitions and metering sinks of one Maestro installation, managed through its own API
# (docs/api/openapi.yaml) with the generic REST provider: no Maestro-specific provider exists, and
# the API is the only supported way to provision tenants (one transaction: row, quotas, profile,
# file partition, receipt log genesis and a `tenant.provisioned` receipt).
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    restapi = {
      source  = "Mastercard/restapi"
      version = "~> 1.19"
    }
  }
}
