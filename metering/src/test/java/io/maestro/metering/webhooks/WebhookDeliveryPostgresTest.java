package io.maestro.metering.webhooks;

import io.maestro.store.testing.Backend;

class WebhookDeliveryPostgresTest extends WebhookDeliveryContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }
}
