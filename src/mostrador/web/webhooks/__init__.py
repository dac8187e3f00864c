"""Provider webhooks (``/webhooks/<provider>``): verify, store, answer; process afterwards."""
