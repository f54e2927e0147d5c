"""Microsoft Teams channels through Microsoft Graph."""
