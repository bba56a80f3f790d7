"""Subcommands of the `policykg` command line."""
