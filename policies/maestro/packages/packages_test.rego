package maestro.packages_test

import data.maestro.packages

publish(profile, pkg) := {
	"action": "workflow.publish",
	"actor": {"sub": "alice", "roles": ["workflow_author"], "tenant": "acme"},
	"tenant": {"id": "acme", "profile": profile},
	"request": {"package": pkg},
}

test_signed_package_passes_where_signing_is_required if {
	count(packages.deny) == 0 with input as publish("regulated", {"digest": "sha256:ab", "signer": "p+0a1b2c3d"})
}

test_unsigned_package_refused_where_signing_is_required if {
	packages.deny_codes == {"workflow_package_unsigned"} with input as publish("regulated", {"digest": "sha256:ab"})
}

test_unsigned_package_passes_where_signing_is_optional if {
	count(packages.deny) == 0 with input as publish("internal-default", {"digest": "sha256:ab"})
}

test_plain_publish_refused_where_signing_is_required if {
	packages.deny_codes == {"workflow_package_unsigned"} with input as {
		"action": "workflow.publish",
		"tenant": {"id": "acme", "profile": "regulated"},
	}
}

test_package_route_waits_for_the_package_at_the_gate if {
	count(packages.deny) == 0 with input as {
		"action": "workflow.publish",
		"tenant": {"id": "acme", "profile": "regulated"},
		"request": {"method": "POST", "route": "/api/workflows/packages"},
	}
}

test_plain_publish_passes_where_signing_is_optional if {
	count(packages.deny) == 0 with input as {"action": "workflow.publish", "tenant": {"id": "acme", "profile": "internal-default"}}
}

test_edition_setting_requires_signing if {
	packages.deny_codes == {"workflow_package_unsigned"} with input as {
		"action": "workflow.publish",
		"tenant": {"id": "acme", "profile": "internal-default"},
		"platform": {"profile": "conductor-governance-internal"},
	}
		with data.maestro.profiles["conductor-governance-internal"].settings as {"packages": {"require_signed": true}}
}

test_tampered_file_refused_naming_it_everywhere if {
	r := publish("internal-default", {"digest": "sha256:ab", "failure": {"check": "digest", "file": "data/x.csv", "message": "data/x.csv does not match its digest: it was altered"}})
	packages.deny_codes == {"workflow_package_tampered"} with input as r
	some d in packages.deny with input as r
	contains(d.message, "data/x.csv")
}

test_bad_signature_refused_even_when_signing_is_optional if {
	packages.deny_codes == {"workflow_signature_invalid"} with input as publish("internal-default", {"digest": "sha256:ab", "failure": {"check": "signature", "file": "maestro-package.dsse.json", "message": "no trusted key signed this envelope"}})
}

test_other_actions_untouched if {
	count(packages.deny) == 0 with input as {"action": "workflow.run", "tenant": {"id": "acme", "profile": "regulated"}}
}

test_install_refuses_an_unsigned_package_on_every_profile if {
	r := publish("internal-default", {"digest": "sha256:ab", "name": "golden-retry", "operation": "install"})
	packages.deny_codes == {"workflow_package_unsigned"} with input as r
	some d in packages.deny with input as r
	contains(d.message, "signature check failed")
}

test_catalog_publish_refuses_an_unsigned_package_once_on_a_signing_profile if {
	r := publish("regulated", {"digest": "sha256:ab", "operation": "catalog"})
	count(packages.deny) == 1 with input as r
}

test_install_of_a_signed_package_passes if {
	count(packages.deny) == 0 with input as publish("internal-default", {"digest": "sha256:ab", "signer": "p+0a1b2c3d", "operation": "install"})
}

test_swapped_provenance_is_tampering_naming_the_check if {
	r := publish("internal-default", {"digest": "sha256:ab", "operation": "install", "failure": {"check": "provenance", "file": "maestro-package.provenance.json", "message": "not the statement the signature covers"}})
	packages.deny_codes == {"workflow_package_tampered"} with input as r
	some d in packages.deny with input as r
	contains(d.message, "the provenance check failed on maestro-package.provenance.json")
}

test_install_gate_look_before_the_package_is_read_passes_where_signing_is_required if {
	count(packages.deny) == 0 with input as {
		"action": "workflow.publish",
		"tenant": {"id": "acme", "profile": "regulated"},
		"request": {"method": "POST", "route": "/api/packages/golden-retry/install"},
	}
}
