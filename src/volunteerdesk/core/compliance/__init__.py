"""The compliance rule engine: one set of rules for the dashboard, rota, reports and CLI."""
