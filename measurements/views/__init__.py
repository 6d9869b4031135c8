"""The measurement pages, by area: ``reporting`` (one project's progress, its reports, goals,
own indicators and publishing), ``overview`` (across projects: the overview, its exports, who
has not reported and reminders), ``rounds`` and ``imports`` (values from a file). Views fetch
through the user's queryset (an outsider gets 404), check the rule (403), let forms validate,
call a service and redirect; ``common`` holds what they share."""
