"""The kernel: what every app shares, with no domain words."""
