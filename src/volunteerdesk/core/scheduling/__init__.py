"""Recurrence, closures and (later) eligibility and auto-fill. No Qt here."""
