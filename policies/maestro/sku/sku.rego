# METADATA
# title: SKU feature gates
# description: >-
#   The edition's SKU decides which features a deployment sells. The server puts
#   the configured SKU's gates in input.platform.features (sku and edition beside
#   them); an action that belongs to a gated feature whose gate is false is
#   refused with feature_not_in_sku. An input without features (no SKU
#   configured) gates nothing. Always enforced, whatever the profile: the SKU is
#   the platform's, not the tenant's choice.
# custom:
#   severity: medium
#   controls: ["SOC 2 CC6.1"]
#   profiles: [all]
#   reasons:
#     feature_not_in_sku: The action belongs to a feature the configured SKU does not include.
#   examples:
#     - name: A ramp change on Hosted SaaS Standard
#       query: data.maestro.sku.deny_codes
#       input: {"action": "ramp.write", "platform": {"sku": "saas-standard", "features": {"governance_controls": false}}}
#       expect: ["feature_not_in_sku"]
#     - name: A ramp change on Hosted SaaS Pro
#       query: data.maestro.sku.deny_codes
#       input: {"action": "ramp.write", "platform": {"sku": "saas-pro", "features": {"governance_controls": true}}}
#       expect: []
package maestro.sku

import data.maestro.lib

# The feature each gated action belongs to. Features without routes yet (compliance_pack,
# incident_automation, custom_task_types) gate the actions their routes will use.
feature_of := {
	"ramp.read": "governance_controls",
	"ramp.write": "governance_controls",
	"workflow.kill": "governance_controls",
	"freeze.read": "governance_controls",
	"freeze.write": "governance_controls",
	"breakglass.open": "governance_controls",
	"breakglass.approve": "governance_controls",
	"breakglass.read": "governance_controls",
	"webhook.read": "billing_webhooks",
	"webhook.manage": "billing_webhooks",
	"evidence.export": "compliance_pack",
	"incident.manage": "incident_automation",
	"worker.register": "custom_task_types",
}

deny contains lib.reason("feature_not_in_sku", msg) if {
	feature := feature_of[input.action]
	input.platform.features[feature] == false
	msg := sprintf("%q needs the %s feature, which the %s SKU does not include", [input.action, feature, object.get(input.platform, "sku", "configured")])
}

deny_codes contains r.code if some r in deny
