"""The kernel: what every app needs and no app owns. Nothing here knows the programme's words."""
