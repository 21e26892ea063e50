# Two SaaS tenants on one installation, each with a billing sink for its metered events.
#   export TF_VAR_maestro_token=…   # a conductor_admin token from your OIDC provider
#   terraform init && terraform apply
module "maestro" {
  source = "../.."

  maestro_url   = "https://maestro.example.com"
  maestro_token = var.maestro_token

  tenants = {
    acme = {
      name             = "Acme Corp"
      edition          = "saas"
      profile          = "hosted-saas"
      home_region      = "EU"
      regions          = ["EU", "CH"]
      daily_budget_usd = 250
      quotas = {
        max_concurrent_runs  = 50
        max_steps_per_minute = 600
      }
    }
    globex = {
      name    = "Globex"
      edition = "saas"
    }
  }

  metering_sinks = {
    acme-billing = {
      tenant      = "acme"
      url         = "https://billing.acme.example/maestro"
      event_types = ["run_started", "step_executed", "evidence_exported", "storage_bytes_written"]
    }
  }
}

variable "maestro_token" {
  description = "A conductor_admin bearer token."
  type        = string
  sensitive   = true
}

output "partitions" {
  value = module.maestro.tenant_partitions
}
