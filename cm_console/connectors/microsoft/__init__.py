"""What Teams and Viva Engage share: Entra sign-in with MSAL and reading their HTML bodies."""
