"""Modules written by the scripts under ``scripts/`` (each file names its script): never edit them by hand."""
