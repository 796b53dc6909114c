"""Running the bot as a service: /healthz, /metrics, logs, retention, Socket Mode."""
