variable "maestro_url" {
  description = "Base URL of the Maestro server (or its ingress), without a trailing slash: https://maestro.example.com"
  type        = string

  validation {
    condition     = can(regex("^https?://[^/]+(/.*[^/])?$", var.maestro_url))
    error_message = "maestro_url must be an http(s) URL without a trailing slash."
  }
}

variable "maestro_token" {
  description = "Bearer token of a platform administrator (role conductor_admin) from the installation's OIDC provider. Provisioning, patching and suspending tenants and registering their webhooks are each decided by policy and receipted under this actor."
  type        = string
  sensitive   = true
}

variable "request_timeout_seconds" {
  description = "How long one API request may take before the provider gives up."
  type        = number
  default     = 30
}

variable "tenants" {
  description = "Tenant partitions to provision, keyed by tenant id (^[a-z][a-z0-9-]{1,62}$). Quotas, budget, regions and status can change later (PATCH); edition, profile and home region are fixed at provisioning."
  type = map(object({
    name        = string
    edition     = optional(string)
    profile     = optional(string)
    home_region = optional(string)
    regions     = optional(list(string))
    status      = optional(string, "active")
    quotas = optional(object({
      max_concurrent_runs  = optional(number)
      max_steps_per_minute = optional(number)
      max_receipt_backlog  = optional(number)
    }))
    daily_budget_usd = optional(number)
  }))
  default = {}

  validation {
    condition     = alltrue([for id, _ in var.tenants : can(regex("^[a-z][a-z0-9-]{1,62}$", id))])
    error_message = "Every tenant id must match ^[a-z][a-z0-9-]{1,62}$ (the API's pattern)."
  }

  validation {
    condition = alltrue([
      for _, t in var.tenants : t.edition == null || contains(["internal", "white-label", "saas"], t.edition)
    ])
    error_message = "A tenant's edition must be internal, white-label or saas."
  }

  validation {
    condition     = alltrue([for _, t in var.tenants : contains(["active", "suspended"], t.status)])
    error_message = "A tenant's status must be active or suspended."
  }

  validation {
    condition = alltrue(flatten([
      for _, t in var.tenants : [
        for r in concat(coalesce(t.regions, []), t.home_region == null ? [] : [t.home_region]) :
        can(regex("^[A-Z][A-Z0-9-]{1,31}$", r))
      ]
    ]))
    error_message = "Regions are upper-case codes such as US or EU (^[A-Z][A-Z0-9-]{1,31}$)."
  }

  validation {
    condition = alltrue([
      for _, t in var.tenants : t.home_region == null || t.regions == null || contains(coalesce(t.regions, []), coalesce(t.home_region, ""))
    ])
    error_message = "A tenant's regions must include its home region."
  }
}

variable "metering_sinks" {
  description = "Billing webhook endpoints (metering sinks), keyed by a name of your choice. Each receives its tenant's metered events as signed CloudEvents (docs/finops.md#billing-webhooks); outside dev mode the URL must be https and resolve to public addresses."
  type = map(object({
    tenant      = string
    url         = string
    event_types = list(string)
  }))
  default = {}

  validation {
    condition = alltrue(flatten([
      for _, s in var.metering_sinks : [
        for e in s.event_types : contains([
          "run_started", "step_executed", "approval_decision", "receipt_emitted",
          "evidence_exported", "storage_bytes_written",
          "incident_opened", "incident_updated", "incident_closed",
        ], e)
      ]
    ]))
    error_message = "Unknown event type: use run_started, step_executed, approval_decision, receipt_emitted, evidence_exported, storage_bytes_written or incident_opened/updated/closed."
  }

  validation {
    condition     = alltrue([for _, s in var.metering_sinks : length(s.event_types) > 0])
    error_message = "A metering sink subscribes to at least one event type."
  }

  validation {
    condition     = alltrue([for _, s in var.metering_sinks : can(regex("^https://", s.url))])
    error_message = "A metering sink's URL must be https (the server refuses anything else outside dev mode)."
  }
}
