"""Invitations by e-mail to a role on an object: services, forms, views, selectors."""
