output "tenant_partitions" {
  description = "Each provisioned tenant's storage partition (the server's storage_prefix: its evidence, exports and files live under it)."
  value       = { for id, t in restapi_object.tenant : id => try(jsondecode(t.api_response).storage_prefix, null) }
}

output "metering_sink_ids" {
  description = "The webhook endpoint id (wh_…) of each metering sink."
  value       = { for name, s in restapi_object.metering_sink : name => s.id }
}

output "metering_sink_secrets" {
  description = "Each sink's signing secret (whsec_…), returned by the API only at registration: give it to the receiver to verify webhook-signature. Rotate with POST /api/billing/webhooks/{id}/rotate."
  value       = { for name, s in restapi_object.metering_sink : name => try(jsondecode(s.create_response).secret, null) }
  sensitive   = true
}
