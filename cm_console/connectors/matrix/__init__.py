"""Matrix (Element): the client-server API, tested against a real Synapse."""
