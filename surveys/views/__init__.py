"""Reputation survey pages, by area: ``runs`` (a project's surveys and their management),
``results`` (comparison and exports) and ``answering`` (the public questionnaire).

Project pages (``/prosjekter/<slug>/undersokelser/…``) fetch the project through the user's
queryset (an outsider gets 404) and check the rule (403); ``common`` holds what they share. The
answer pages (``/undersokelse/<token>/``) are public and anonymous."""
