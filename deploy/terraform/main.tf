provider "restapi" {
  uri                  = var.maestro_url
  write_returns_object = true
  timeout              = var.request_timeout_seconds
  # Fails the plan early when the server is not ready (database and signer up).
  test_path = "/readyz"

  headers = {
    Authorization  = "Bearer ${var.maestro_token}"
    "Content-Type" = "application/json"
  }
}

locals {
  # Each request body has every field the API takes; fields left null are dropped below, so the
  # server's defaults apply (the edition's profile, the SKU's quotas). Only keys the API's request
  # schemas declare appear here (TerraformModuleTest checks them against docs/api/openapi.yaml).
  quotas = {
    for id, t in var.tenants : id => t.quotas == null ? null : { for k, v in t.quotas : k => v if v != null }
  }
  budget = {
    for id, t in var.tenants : id => t.daily_budget_usd == null ? null : { daily_max_usd = t.daily_budget_usd }
  }
  tenant_create_fields = {
    for id, t in var.tenants : id => {
      id          = id
      name        = t.name
      edition     = t.edition
      profile     = t.profile
      home_region = t.home_region
      regions     = t.regions
      quotas      = local.quotas[id]
      budget      = local.budget[id]
    }
  }
  tenant_patch_fields = {
    for id, t in var.tenants : id => {
      name    = t.name
      status  = t.status
      regions = t.regions
      quotas  = local.quotas[id]
      budget  = local.budget[id]
    }
  }
  tenant_create = {
    for id, fields in local.tenant_create_fields : id => { for k, v in fields : k => v if v != null }
  }
  tenant_patch = {
    for id, fields in local.tenant_patch_fields : id => { for k, v in fields : k => v if v != null }
  }
}

# One tenant partition each: POST /api/tenants provisions it; changes are PATCH /api/tenants/{id}
# (a `config.changed` receipt with the diff). Tenants are never deleted from here: removing one
# from var.tenants suspends it, because erasing a tenant's data is a dual-controlled purge
# (docs/lifecycle.md), not an infrastructure change.
resource "restapi_object" "tenant" {
  for_each = var.tenants

  path           = "/api/tenants"
  id_attribute   = "id"
  object_id      = each.key
  data           = jsonencode(local.tenant_create[each.key])
  update_method  = "PATCH"
  update_data    = jsonencode(local.tenant_patch[each.key])
  destroy_method = "PATCH"
  destroy_data   = jsonencode({ status = "suspended" })
  # Fixed at provisioning: a change means another tenant.
  force_new = ["edition", "profile", "home_region"]
}

# Metering sinks: POST /api/billing/webhooks for the sink's tenant (a platform administrator names
# it with ?tenant=). The API has no single-endpoint read, so the provider finds the endpoint in
# the tenant's list; an endpoint cannot be edited, so a new URL or event set replaces it.
resource "restapi_object" "metering_sink" {
  for_each = var.metering_sinks

  path         = "/api/billing/webhooks"
  query_string = "tenant=${each.value.tenant}"
  id_attribute = "id"
  data = jsonencode({
    url        = each.value.url
    eventTypes = each.value.event_types
  })
  read_search = {
    search_key   = "id"
    search_value = "{id}"
    results_key  = "webhooks"
    query_string = "tenant=${each.value.tenant}"
  }
  force_new = ["url", "eventTypes"]

  depends_on = [restapi_object.tenant]
}
