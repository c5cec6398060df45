"""Alert commands (preview and resend of reports) register here."""
