# METADATA
# title: Signed workflow packages
# description: >-
#   Publishing a workflow package (POST /api/workflows/packages) is decided on
#   what checking the package found, which the server puts in
#   input.request.package: its digest, the key id of the trusted key that signed
#   it (signer, absent when unsigned) and the first failed check (failure:
#   check, file, message). A package whose files do not match its digests is
#   refused with workflow_package_tampered, one whose signature does not verify
#   with a trusted key with workflow_signature_invalid, whatever the profile.
#   When the tenant's profile (or the edition's governance profile) sets
#   packages.require_signed, an unsigned package is refused with
#   workflow_package_unsigned, and so is publishing a version that does not come
#   from a signed package at all. Installing a package into a tenant (POST
#   /api/packages/install, POST /api/packages/{name}/install) and putting one
#   into the tenant's catalog (POST /api/packages) verify the whole chain
#   whatever the profile: the server sets input.request.package.operation to
#   install or catalog, and an unsigned package (or one no key the tenant trusts
#   signed) is refused there too. A provenance statement that is not the one
#   signed, or not about the package, is tampering. Each message names the
#   failing check and its file. Always enforced.
# custom:
#   severity: high
#   controls: ["SOC 2 CC8.1", "ISO 27001 A.8.32", "SLSA Build L2"]
#   profiles: [all]
#   reasons:
#     workflow_package_tampered: A file of the package does not match the package's digests.
#     workflow_signature_invalid: The package's signature does not verify with a trusted publisher key.
#     workflow_package_unsigned: The tenant publishes only signed workflow packages.
#   examples:
#     - name: A signed package on a profile that requires signing
#       query: data.maestro.packages.deny_codes
#       input: {"action": "workflow.publish", "tenant": {"id": "acme", "profile": "regulated"}, "request": {"package": {"digest": "sha256:ab", "signer": "publisher+0a1b2c3d"}}}
#       expect: []
#     - name: An unsigned package on a profile that requires signing
#       query: data.maestro.packages.deny_codes
#       input: {"action": "workflow.publish", "tenant": {"id": "acme", "profile": "regulated"}, "request": {"package": {"digest": "sha256:ab"}}}
#       expect: ["workflow_package_unsigned"]
#     - name: A tampered package
#       query: data.maestro.packages.deny_codes
#       input: {"action": "workflow.publish", "tenant": {"id": "acme", "profile": "internal-default"}, "request": {"package": {"digest": "sha256:ab", "failure": {"check": "digest", "file": "hello.yaml", "message": "hello.yaml does not match its digest: it was altered"}}}}
#       expect: ["workflow_package_tampered"]
#     - name: Installing an unsigned package is refused on every profile
#       query: data.maestro.packages.deny_codes
#       input: {"action": "workflow.publish", "tenant": {"id": "acme", "profile": "internal-default"}, "request": {"package": {"digest": "sha256:ab", "operation": "install"}}}
#       expect: ["workflow_package_unsigned"]
package maestro.packages

import data.maestro.lib

# Signing is required by the tenant's profile or by the edition's governance profile.
required if lib.setting(["packages", "require_signed"], false) == true

required if object.get(lib.governance_settings, ["packages", "require_signed"], false) == true

pkg := input.request.package

signed if {
	is_string(pkg.signer)
	pkg.signer != ""
	not pkg.failure
}

# Installing into a tenant and publishing into its catalog always verify the whole chain.
chain_required if pkg.operation in {"install", "catalog"}

failed := sprintf("the %s check failed on %s: %s", [pkg.failure.check, pkg.failure.file, pkg.failure.message])

deny contains lib.reason("workflow_package_tampered", failed) if {
	input.action == "workflow.publish"
	pkg.failure.check in {"digest", "provenance"}
}

deny contains lib.reason("workflow_signature_invalid", failed) if {
	input.action == "workflow.publish"
	pkg.failure.check == "signature"
}

deny contains lib.reason("workflow_package_unsigned", msg) if {
	input.action == "workflow.publish"
	chain_required
	not pkg.failure
	not signed
	msg := sprintf("the signature check failed on %s: %s is not signed; sign it (maestro package sign) with a key this tenant trusts (maestro package trust)", ["maestro-package.dsse.json", object.get(pkg, "name", "the package")])
}

# The gate's first look at POST /api/workflows/packages comes before the package is read; the
# server asks again with input.request.package once it has checked the package.
awaiting_package if {
	input.request.route == "/api/workflows/packages"
	not input.request.package
}

# The same for publishing into the catalog and installing (/api/packages, …/install).
awaiting_package if {
	startswith(input.request.route, "/api/packages")
	not input.request.package
}

deny contains lib.reason("workflow_package_unsigned", msg) if {
	input.action == "workflow.publish"
	required
	not chain_required
	not awaiting_package
	not pkg.failure
	not signed
	msg := "this tenant publishes only workflow packages signed by a trusted publisher: maestro workflows sign"
}

deny_codes contains r.code if some r in deny
