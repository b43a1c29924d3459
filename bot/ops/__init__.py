"""Operations: health and readiness probes, Prometheus metrics, backups and retention jobs."""
