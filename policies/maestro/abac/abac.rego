# METADATA
# title: Attribute-based access
# description: >-
#   Decisions on the attributes environment, region, risk_profile,
#   business_unit and data_sensitivity. High-risk workflows in the environments
#   the profile names need approval by another person holding an approval role;
#   a workflow's region must be one the tenant may use and match the request's
#   region; sensitive data needs the actor's clearance and is audited more
#   closely; and profiles may keep actors inside their business unit.
# custom:
#   severity: high
#   controls: ["SOC 2 CC6.1", "SOC 2 CC8.1", "GDPR Art. 44", "ISO 27001 A.5.12"]
#   profiles: [internal-default, regulated, partner-demo, hosted-saas]
#   reasons:
#     approval_required: A high-risk workflow in a guarded environment lacks the approvals the profile requires.
#     region_not_allowed: The workflow's region is not one the tenant may use.
#     residency_mismatch: The request's region differs from the workflow's region.
#     clearance_insufficient: The data is more sensitive than the actor's clearance.
#     business_unit_mismatch: The actor's business unit differs from the resource's.
#   examples:
#     - name: A high-risk production run without approval is refused
#       query: data.maestro.abac.deny_codes
#       input: {"action": "workflow.run", "actor": {"sub": "ops@acme", "roles": ["operator"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}, "resource": {"type": "workflow", "tenant": "acme", "attributes": {"environment": "prod", "risk_profile": "high"}}}
#       expect: ["approval_required"]
#     - name: The same run with a reviewer's approval passes
#       query: data.maestro.abac.deny_codes
#       input: {"action": "workflow.run", "actor": {"sub": "ops@acme", "roles": ["operator"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}, "resource": {"type": "workflow", "tenant": "acme", "attributes": {"environment": "prod", "risk_profile": "high"}}, "approvals": [{"by": "rev@acme", "role": "workflow_reviewer"}]}
#       expect: []
#     - name: Residency - a US workflow may not serve an EU request
#       query: data.maestro.abac.deny_codes
#       input: {"action": "workflow.run", "actor": {"sub": "ops@acme", "roles": ["operator"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default", "regions": ["US", "EU"]}, "request": {"region": "EU"}, "resource": {"type": "workflow", "tenant": "acme", "attributes": {"region": "US"}}}
#       expect: ["residency_mismatch"]
package maestro.abac

import data.maestro.lib

attributes := object.get(input, ["resource", "attributes"], {})

environment := attributes.environment if {
	is_string(attributes.environment)
} else := input.request.environment if {
	is_string(input.request.environment)
}

# Sensitivity levels in increasing order.
levels := {"public": 0, "internal": 1, "confidential": 2, "restricted": 3}

# --- approvals -------------------------------------------------------------

approval := lib.setting(["abac", "approval"], {})

guarded_action if input.action in object.get(approval, "actions", ["workflow.run", "workflow.publish"])

guarded_environment if environment in object.get(approval, "environments", ["prod"])

high_risk if attributes.risk_profile in object.get(approval, "risk_profiles", ["high", "critical"])

# Approvers are distinct people other than the actor holding an approval role.
approvers contains a.by if {
	some a in input.approvals
	a.role in object.get(approval, "roles", ["workflow_reviewer"])
	is_string(a.by)
	a.by != input.actor.sub
}

required_approvals := object.get(approval, "required", 1)

deny contains lib.reason(
	"approval_required",
	sprintf("a %v-risk workflow in %v needs %v approval(s) by %v, has %v", [
		attributes.risk_profile, environment, required_approvals,
		concat(" or ", object.get(approval, "roles", ["workflow_reviewer"])), count(approvers),
	]),
) if {
	guarded_action
	guarded_environment
	high_risk
	count(approvers) < required_approvals
}

# --- residency -------------------------------------------------------------

enforce_residency := lib.setting(["abac", "residency", "enforce"], true)

deny contains lib.reason(
	"region_not_allowed",
	sprintf("region %q is not allowed for this tenant (allowed: %v)", [attributes.region, concat(", ", input.tenant.regions)]),
) if {
	enforce_residency
	is_string(attributes.region)
	is_array(input.tenant.regions)
	not attributes.region in input.tenant.regions
}

deny contains lib.reason(
	"residency_mismatch",
	sprintf("the request's region %q differs from the workflow's region %q", [input.request.region, attributes.region]),
) if {
	enforce_residency
	is_string(attributes.region)
	is_string(input.request.region)
	input.request.region != attributes.region
}

# --- data sensitivity ------------------------------------------------------

enforce_clearance := lib.setting(["abac", "clearance", "enforce"], true)

resource_level := levels[attributes.data_sensitivity]

# An actor without a data_sensitivity attribute has the profile's default clearance.
default_clearance := levels[lib.setting(["abac", "clearance", "default"], "internal")]

clearance := object.get(levels, object.get(input, ["actor", "attributes", "data_sensitivity"], ""), default_clearance)

deny contains lib.reason(
	"clearance_insufficient",
	sprintf("the data is %v; the actor is cleared for less", [attributes.data_sensitivity]),
) if {
	enforce_clearance
	resource_level > clearance
}

obligations contains {"type": "enhanced_audit", "data_sensitivity": attributes.data_sensitivity} if {
	resource_level >= levels.confidential
}

# --- business unit ---------------------------------------------------------

deny contains lib.reason(
	"business_unit_mismatch",
	sprintf("business unit %q may not act on resources of %q", [input.actor.attributes.business_unit, attributes.business_unit]),
) if {
	lib.setting(["abac", "business_unit", "enforce"], false)
	is_string(input.actor.attributes.business_unit)
	is_string(attributes.business_unit)
	input.actor.attributes.business_unit != attributes.business_unit
	not lib.is_platform
}

deny_codes := {r.code | some r in deny}
