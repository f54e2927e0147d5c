"""Platform connectors: one package per platform, the shared contract and the HTTP client."""
