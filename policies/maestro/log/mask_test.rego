package maestro.log_test

import data.maestro.log

test_parameters_and_headers_are_erased if {
	log.mask == {"/input/request/parameters", "/input/request/headers"} with input as {"input": {"request": {"parameters": {"token": "s3cr3t"}, "headers": {"authorization": "Bearer x"}}}}
}

test_nothing_to_mask if {
	count(log.mask) == 0 with input as {"input": {"action": "workflow.read"}}
}

test_subject_masked_for_regulated_tenants if {
	log.mask == {{"op": "upsert", "path": "/input/actor/sub", "value": "<masked>"}} with input as {"input": {"actor": {"sub": "a@bank"}, "tenant": {"profile": "regulated"}}}
	count(log.mask) == 0 with input as {"input": {"actor": {"sub": "a@co"}, "tenant": {"profile": "internal-default"}}}
}
