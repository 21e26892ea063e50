package io.maestro.metering.webhooks;

import io.maestro.store.testing.Backend;
import io.maestro.store.testing.RequiresPostgres;

@RequiresPostgres
class WebhookDeliveryPostgresTest extends WebhookDeliveryContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
