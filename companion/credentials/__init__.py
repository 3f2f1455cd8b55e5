"""Payment-method secrets in the OS keyring, and nowhere else."""
