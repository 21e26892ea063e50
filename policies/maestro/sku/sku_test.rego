package maestro.sku_test

import data.maestro.authz
import data.maestro.sku

admin(action, features) := {
	"action": action,
	"actor": {"sub": "admin@acme", "roles": ["tenant_admin"], "tenant": "acme"},
	"tenant": {"id": "acme", "profile": "internal-default"},
	"resource": {"type": "ramp", "tenant": "acme"},
	"platform": {"profile": "conductor-governance-saas", "edition": "saas", "sku": "saas-standard", "features": features},
}

test_gated_action_refused_when_its_feature_is_off if {
	sku.deny == {{"code": "feature_not_in_sku", "message": "\"ramp.write\" needs the governance_controls feature, which the saas-standard SKU does not include"}} with input as admin("ramp.write", {"governance_controls": false})
}

test_gated_action_passes_when_its_feature_is_on if {
	count(sku.deny) == 0 with input as admin("ramp.write", {"governance_controls": true})
}

test_no_features_gates_nothing if {
	count(sku.deny) == 0 with input as {"action": "ramp.write", "platform": {}}
}

test_ungated_action_is_not_refused if {
	count(sku.deny) == 0 with input as admin("workflow.read", {"governance_controls": false})
}

test_authz_refuses_with_feature_not_in_sku if {
	d := authz.decision with input as admin("webhook.manage", {"billing_webhooks": false})
	d.allow == false
	"feature_not_in_sku" in {r.code | some r in d.reasons}
}
