package io.maestro.metering.webhooks;

import io.maestro.store.testing.Backend;

class WebhookDeliveryH2Test extends WebhookDeliveryContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }
}
