"""The gatherings app's views, by area: ``public`` (the programme for readers and its
calendars), ``editor`` (gatherings and their agendas), ``publishing`` (publishing and the
outbox), ``registration`` (registrations and the participant list), ``evaluation``,
``materials`` (documents and the resource library) and ``tasks``."""
