# METADATA
# title: Shared helpers
# description: >-
#   Input accessors and profile lookup shared by the canon packs. Not a pack: it
#   decides nothing on its own.
# custom:
#   pack: false
package maestro.lib

# The platform roles. Every other role is a tenant role.
platform_roles := {"conductor_admin", "support"}

# The tenant's profile. The PDP fills input.tenant.profile with the server's
# default profile when the tenant has none assigned.
profile := data.maestro.profiles[input.tenant.profile]

# The edition's governance profile, chosen in the server configuration and put
# into input.platform.profile by the PDP.
governance := data.maestro.profiles[input.platform.profile]

default settings := {}

settings := profile.settings

default governance_settings := {}

governance_settings := governance.settings

roles contains role if {
	some role in input.actor.roles
	is_string(role)
}

is_platform if {
	some role in roles
	role in platform_roles
}

actor_tenant := input.actor.tenant if {
	is_string(input.actor.tenant)
	input.actor.tenant != ""
}

# The tenant the action is about: the resource's tenant; for an action on no
# particular resource, the request's tenant. A resource that names an empty or
# non-string tenant has none.
target_tenant := t if {
	t := input.resource.tenant
	is_string(t)
	t != ""
} else := t if {
	not input.resource.tenant
	t := input.tenant.id
	is_string(t)
	t != ""
}

# The value at path in the profile's settings, or def when the profile says nothing.
setting(path, def) := object.get(settings, path, def)

# The value at path in the governance profile's settings, or def.
governance_setting(path, def) := object.get(governance_settings, path, def)

reason(code, message) := {"code": code, "message": message}
